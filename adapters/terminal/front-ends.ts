import { configSectionsOf, type FrontEnd } from '../../src/frontend/frontend.js';
import { discordFrontEnd } from '../discord/index.js';
import { slackFrontEnd } from '../slack/index.js';

/** Every chat platform `faultline start` knows; a new one is one line here. */
export const FRONT_ENDS: readonly FrontEnd[] = [slackFrontEnd, discordFrontEnd];

/** The config file's front-end sections, one per registered front end. */
export const CONFIG_SECTIONS = configSectionsOf(FRONT_ENDS);
