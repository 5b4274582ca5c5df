/** The workflow bundle's entry point: every workflow type the worker registers. */
export { conversationWorkflow } from './conversation';
export { appointmentWorkflow } from './appointment';
export { waitlistEntryWorkflow, waitlistOfferWorkflow } from './waitlist';
export { rememberContactWorkflow } from './contact';
