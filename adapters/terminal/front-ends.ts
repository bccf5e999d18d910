import { configSectionsOf, secretsOf, type FrontEnd } from '../../src/frontend/frontend.js';
import { discordFrontEnd } from '../discord/index.js';
import { slackFrontEnd } from '../slack/index.js';
import { CORE_SECRETS } from '../../src/config/secrets.js';

/** Every chat platform `faultline start` knows; a new one is one line here. */
export const FRONT_ENDS: readonly FrontEnd[] = [slackFrontEnd, discordFrontEnd];

/** The config file's front-end sections, one per registered front end. */
export const CONFIG_SECTIONS = configSectionsOf(FRONT_ENDS);

/** Every variable that holds a secret, each of which may instead be given as a file (`<NAME>_FILE`). */
export const SECRET_VARIABLES = [...CORE_SECRETS, ...secretsOf(FRONT_ENDS)];
