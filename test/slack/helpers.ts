export { ACTION } from '../../adapters/slack/blocks.js';
export { MODAL as MODAL_CALLBACK } from '../../adapters/slack/app.js';
