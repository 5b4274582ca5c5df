/**
 * Reply templates, English and Spanish: the text of every tool outcome and the messages the workflows send on
 * their own. Facts are rendered from the ledger's answers in the customer's zone.
 */
export { renderToolResult, renderError } from './tool-results';
export {
  apology,
  bookingConfirmed,
  botIsBack,
  cancelledByBusiness,
  fallback,
  greeting,
  handoffToHuman,
  help,
  holdExpired,
  noReminders,
  noShowFollowUp,
  operatorTookOver,
  optedIn,
  optedOut,
  outOfScope,
  reminder,
  stillWorking,
} from './messages';
export { activeBookings, type RenderOptions } from './format';
export { askName, askedForName, deskAnswer, lateNoted, nameNoted } from './front-desk';
export { joinedWaitlist, waitlistExpired, waitlistInvitation, waitlistOffer, waitlistOfferLapsed, waitlistSlotGone, waitedFor } from './waitlist';
export { bookingEmail } from './email';
export { bookingKept, changeReadBack, moveHoldExpired } from './changes';
