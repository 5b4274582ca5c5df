import twilio from 'twilio';

/** TwiML answers, built with the twilio package so every text is escaped. */

/** The empty messaging answer: the reply goes out later through the REST API. */
export function emptyMessagingResponse(): string {
  return new twilio.twiml.MessagingResponse().toString();
}

export type VoiceLanguage = 'en-US' | 'es-ES';

/**
 * Says `lines`, then listens for speech and posts it to `action`. If the caller says nothing, Twilio still posts
 * (actionOnEmptyResult) so silence is counted by our route rather than ending the call abruptly.
 */
export function gatherResponse(lines: string[], action: string, language: VoiceLanguage): string {
  const response = new twilio.twiml.VoiceResponse();
  const gather = response.gather({
    input: ['speech'],
    action,
    method: 'POST',
    speechTimeout: 'auto',
    language,
    actionOnEmptyResult: true,
  });
  for (const line of lines) gather.say({ language }, line);
  return response.toString();
}

/** Says `lines` and ends the call. */
export function hangupResponse(lines: string[], language: VoiceLanguage): string {
  const response = new twilio.twiml.VoiceResponse();
  for (const line of lines) response.say({ language }, line);
  response.hangup();
  return response.toString();
}

/** Says `lines` and asks Twilio to post to `url` again (the assistant is still working on the answer). */
export function redirectResponse(lines: string[], url: string, language: VoiceLanguage): string {
  const response = new twilio.twiml.VoiceResponse();
  for (const line of lines) response.say({ language }, line);
  response.pause({ length: 1 });
  response.redirect({ method: 'POST' }, url);
  return response.toString();
}
