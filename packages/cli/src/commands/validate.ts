/** `cvflow validate <spec.json>` */
import type { Command } from "commander";
import { readSpecification } from "../arguments.js";
import { clientFor, globalOptions } from "../context.js";
import { printJson, printLines } from "../output.js";

export function addValidateCommand(program: Command): void {
  program
    .command("validate")
    .description("check that a definition compiles; every problem is listed with its JSON pointer")
    .argument("<spec.json>", "a definition file, bare or wrapped as {\"specification\": ...}")
    .action(async (file: string, _flags: object, command: Command) => {
      const result = await clientFor(command).validate(readSpecification(file));
      if (globalOptions(command).json) printJson(result);
      else printLines(`${file}: valid`);
    });
}
