/** What the voice line says around the assistant's own replies, in the business's language. */
export interface VoiceTexts {
  greeting: (business: string) => string;
  notHeard: string;
  goodbye: string;
  stillWorking: string;
  tooSlow: string;
  unavailable: string;
  hiddenNumber: string;
  anythingElse: string;
}

export const VOICE_TEXTS: Record<'en' | 'es', VoiceTexts> = {
  en: {
    greeting: (business) => `Hello, you have reached ${business}. I can book, move or cancel an appointment. How can I help?`,
    notHeard: "Sorry, I didn't catch that. Could you say it again?",
    goodbye: 'Thank you for calling. Goodbye.',
    stillWorking: 'One moment, please.',
    tooSlow: 'Sorry, that is taking longer than it should. Could you say that again?',
    unavailable: 'Sorry, the booking line is having trouble right now. Please call again later, or send us a text.',
    hiddenNumber: 'Sorry, I can only help when your number is shown. Please call again without hiding your number, or send us a text.',
    anythingElse: 'Is there anything else?',
  },
  es: {
    greeting: (business) => `Hola, has llamado a ${business}. Puedo reservar, cambiar o cancelar una cita. ¿En qué puedo ayudarte?`,
    notHeard: 'Perdona, no te he entendido. ¿Puedes repetirlo?',
    goodbye: 'Gracias por llamar. Adiós.',
    stillWorking: 'Un momento, por favor.',
    tooSlow: 'Perdona, está tardando más de lo normal. ¿Puedes repetirlo?',
    unavailable: 'Perdona, la línea de reservas tiene problemas ahora mismo. Llama más tarde o envíanos un mensaje.',
    hiddenNumber: 'Perdona, solo puedo ayudarte si tu número es visible. Llama sin ocultar tu número o envíanos un mensaje.',
    anythingElse: '¿Algo más?',
  },
};
