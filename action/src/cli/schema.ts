// `schema`: print the config's JSON Schema, for editors and other tools.
import { configJsonSchemaText } from '../config/json-schema.js';
import { type Command, EXIT, PROGRAM } from './command.js';

export const schemaCommand: Command = {
  name: 'schema',
  summary: "Print the config's JSON Schema (for editor completion and checks)",
  maxPositionals: 0,
  options: {},
  help: `Usage: ${PROGRAM} schema

Prints the JSON Schema of deploy.yml, generated from the same source as the validator. Editors
with the YAML language server complete and check the config when it starts with:

  # yaml-language-server: $schema=./config.schema.json

Examples:
  ${PROGRAM} schema > config.schema.json
`,
  run(_, io) {
    io.stdout(configJsonSchemaText());
    return Promise.resolve(EXIT.ok);
  },
};
