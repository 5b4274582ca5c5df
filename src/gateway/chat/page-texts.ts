import type { Business } from '../../domain/booking/business';

/**
 * Every word of the web chat page in both reply languages. The page starts in the business's language and follows
 * the conversation's (`state.locale`): a Spanish-speaking customer of an English business gets Spanish labels too.
 */
export type PageLocale = 'en' | 'es';

export function pageTexts(business: Business) {
  const services = (locale: PageLocale) => business.services.map((s) => (locale === 'es' ? (s.names.es ?? s.name) : s.name)).join(', ');
  return {
    en: {
      title: `${business.name} — book an appointment`,
      tagline: 'Book, move or cancel an appointment',
      greeting:
        `Hi! I'm the booking assistant for ${business.name}. I can book, move or cancel an appointment, and answer questions ` +
        `about us: prices, address, opening hours and walk-ins.\nServices: ${services('en')}.\nTell me what you'd like, e.g. "a haircut on Friday at 3pm".`,
      greetingWho: 'Assistant',
      emailLabel: 'Email for confirmations (optional)',
      emailPlaceholder: 'Email for confirmations and a calendar invite (optional)',
      save: 'Save',
      log: 'Conversation',
      typing: 'Typing…',
      holdTitle: 'Held for you',
      holdLeft: 'Time left to confirm:',
      confirm: 'Confirm',
      release: 'Let it go',
      bookingsTitle: 'Your upcoming appointments',
      reference: 'Ref.',
      manage: 'Manage your bookings from another device',
      copy: 'Copy link',
      copied: 'Link copied.',
      copyFailed: 'Select the link and copy it.',
      composerLabel: 'Your message',
      composerPlaceholder: 'e.g. A haircut next Friday at 3pm',
      send: 'Send',
    },
    es: {
      title: `${business.name} — reserva una cita`,
      tagline: 'Reserva, cambia o cancela una cita',
      greeting:
        `¡Hola! Soy el asistente de reservas de ${business.name}. Puedo reservar, cambiar o cancelar una cita, y responder ` +
        `preguntas sobre nosotros: precios, dirección, horario y si atendemos sin cita.\nServicios: ${services('es')}.\nDime qué necesitas, p. ej. «un corte el viernes a las 15:00».`,
      greetingWho: 'Asistente',
      emailLabel: 'Correo para confirmaciones (opcional)',
      emailPlaceholder: 'Correo para confirmaciones e invitación de calendario (opcional)',
      save: 'Guardar',
      log: 'Conversación',
      typing: 'Escribiendo…',
      holdTitle: 'Reservado provisionalmente',
      holdLeft: 'Tiempo para confirmar:',
      confirm: 'Confirmar',
      release: 'Liberar',
      bookingsTitle: 'Tus próximas citas',
      reference: 'Ref.',
      manage: 'Gestiona tus citas desde otro dispositivo',
      copy: 'Copiar enlace',
      copied: 'Enlace copiado.',
      copyFailed: 'Selecciona el enlace y cópialo.',
      composerLabel: 'Tu mensaje',
      composerPlaceholder: 'p. ej. Un corte el viernes a las 15:00',
      send: 'Enviar',
    },
  } satisfies Record<PageLocale, Record<string, string>>;
}

export type PageTexts = ReturnType<typeof pageTexts>['en'];
