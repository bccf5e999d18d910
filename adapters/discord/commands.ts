import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  type RESTPostAPIApplicationCommandsJSONBody,
} from 'discord.js';

export const COMMAND = {
  explain: 'explain',
  run: 'run',
  fits: 'fits',
  explainMessage: 'Explain this error',
} as const;

/** The application commands, exactly as `faultline discord register` sends them. */
export const COMMANDS: RESTPostAPIApplicationCommandsJSONBody[] = [
  {
    type: ApplicationCommandType.ChatInput,
    name: COMMAND.explain,
    description: 'Find the guide that explains an error message, log excerpt or stack trace',
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'text',
        description: 'The error text (or attach it as a file)',
        required: false,
        max_length: 6000,
      },
      {
        type: ApplicationCommandOptionType.Attachment,
        name: 'file',
        description: 'A log or text file with the error (longer than the text box holds)',
        required: false,
      },
    ],
  },
  {
    type: ApplicationCommandType.ChatInput,
    name: COMMAND.run,
    description: 'Run a whitelisted diagnostic on a host (policy decides; some need a second person)',
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'diagnostic',
        description: 'Catalog id of the diagnostic',
        required: true,
        autocomplete: true,
        max_length: 100,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'host',
        description: 'A host you may run it on',
        required: true,
        autocomplete: true,
        max_length: 200,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'params',
        description: 'Parameters as name=value, separated by spaces',
        required: false,
        max_length: 1000,
      },
    ],
  },
  {
    // Discord has no search inside a message, so "Search every guide" is this command's autocomplete.
    type: ApplicationCommandType.ChatInput,
    name: COMMAND.fits,
    description: 'Say which guide fits the last paste in this thread (search every guide)',
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'guide',
        description: 'The guide that fits, or "none"',
        required: true,
        autocomplete: true,
        max_length: 100,
      },
    ],
  },
  {
    type: ApplicationCommandType.Message,
    name: COMMAND.explainMessage,
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
  },
];
