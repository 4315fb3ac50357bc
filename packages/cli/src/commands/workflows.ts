/** `cvflow workflows list|get|create|update|fork|delete|restore|versions|trash|token` */
import type { SavedWorkflow, WorkflowChanges } from "@cvflow/sdk";
import { Option, type Command } from "commander";
import { parseWorkflowRef, positiveInteger, readSpecification, type WorkflowRef } from "../arguments.js";
import { clientFor, globalOptions } from "../context.js";
import { usageError } from "../exit-codes.js";
import { printJson, printLines, table } from "../output.js";

export function addWorkflowsCommand(program: Command): void {
  const workflows = program.command("workflows").description("manage saved workflows (workspace/url names one)");

  workflows
    .command("list")
    .description("the workspace's workflows")
    .argument("<workspace>")
    .action(async (workspace: string, _flags: object, command: Command) => {
      const list = await clientFor(command).listWorkflows(workspace);
      if (globalOptions(command).json) return printJson(list);
      if (list.length === 0) return printLines(`no workflows in ${workspace}`);
      printLines(...table([["URL", "NAME", "PUBLIC", "VERSION", "UPDATED"], ...list.map((w) => [w.url, w.name, w.public ? "yes" : "no", w.versionId, w.updatedAt])]));
    });

  workflows
    .command("get")
    .description("a workflow, its definition and etag")
    .argument("<workspace/url>")
    .option("--spec", "print only the definition (to save it to a file)")
    .action(async (text: string, flags: { spec?: boolean }, command: Command) => {
      const { workspace, id } = workflowRef(text, command);
      const got = await clientFor(command).getWorkflow(workspace, id);
      if (flags.spec) return printJson(got.specification);
      if (globalOptions(command).json) return printJson(got);
      printSaved(got);
      printLines("specification", JSON.stringify(got.specification, null, 2));
    });

  workflows
    .command("create")
    .description("save a definition as a new workflow; without /url the server chooses its url")
    .argument("<workspace[/url]>")
    .argument("<spec.json>")
    .requiredOption("--name <name>", "its name")
    .option("--public", "readable and runnable without a key")
    .action(async (text: string, file: string, flags: { name: string; public?: boolean }, command: Command) => {
      const { workspace, id } = parseWorkflowRef(text) ?? { workspace: text, id: undefined };
      const created = await clientFor(command).createWorkflow(workspace, {
        name: flags.name,
        specification: readSpecification(file),
        ...(id !== undefined ? { url: id } : {}),
        ...(flags.public ? { public: true } : {}),
      });
      report("created", created, command);
    });

  workflows
    .command("update")
    .description("save a new version: a new definition, name or visibility")
    .argument("<workspace/url>")
    .option("--spec <spec.json>", "the new definition")
    .option("--name <name>", "the new name")
    .addOption(new Option("--public", "make it public").conflicts("private"))
    .option("--private", "make it private")
    .option("--etag <etag>", "refuse (412) if the workflow changed since it was read with this etag")
    .action(async (text: string, flags: { spec?: string; name?: string; public?: boolean; private?: boolean; etag?: string }, command: Command) => {
      const { workspace, id } = workflowRef(text, command);
      const changes: WorkflowChanges = {};
      if (flags.spec !== undefined) changes.specification = readSpecification(flags.spec);
      if (flags.name !== undefined) changes.name = flags.name;
      if (flags.public || flags.private) changes.public = Boolean(flags.public);
      if (Object.keys(changes).length === 0) usageError(command, "nothing to update: give --spec, --name, --public or --private");
      report("updated", await clientFor(command).updateWorkflow(workspace, id, changes, flags.etag ? { etag: flags.etag } : {}), command);
    });

  workflows
    .command("fork")
    .description("copy a workflow within its workspace")
    .argument("<workspace/url>")
    .option("--new-url <url>", "the copy's url")
    .option("--new-name <name>", "the copy's name")
    .action(async (text: string, flags: { newUrl?: string; newName?: string }, command: Command) => {
      const { workspace, id } = workflowRef(text, command);
      report("forked", await clientFor(command).forkWorkflow(workspace, id, flags), command);
    });

  workflows
    .command("delete")
    .description("move a workflow to the trash (kept 30 days)")
    .argument("<workspace/url>")
    .option("--etag <etag>", "refuse (412) if the workflow changed since it was read with this etag")
    .action(async (text: string, flags: { etag?: string }, command: Command) => {
      const { workspace, id } = workflowRef(text, command);
      const deleted = await clientFor(command).deleteWorkflow(workspace, id, flags.etag ? { etag: flags.etag } : {});
      if (globalOptions(command).json) return printJson(deleted);
      printLines(`deleted ${workspace}/${deleted.deleted} (restore it with: cvflow workflows restore ${workspace}/${deleted.deleted})`);
    });

  workflows
    .command("restore")
    .description("bring a workflow back from the trash")
    .argument("<workspace/url>")
    .action(async (text: string, _flags: object, command: Command) => {
      const { workspace, id } = workflowRef(text, command);
      report("restored", await clientFor(command).restoreWorkflow(workspace, id), command);
    });

  workflows
    .command("versions")
    .description("every saved version, newest first")
    .argument("<workspace/url>")
    .action(async (text: string, _flags: object, command: Command) => {
      const { workspace, id } = workflowRef(text, command);
      const versions = await clientFor(command).workflowVersions(workspace, id);
      if (globalOptions(command).json) return printJson(versions);
      printLines(...table([["VERSION", "CREATED", "NAME"], ...versions.map((v) => [v.versionId, v.createdAt, v.name])]));
    });

  workflows
    .command("trash")
    .description("the workspace's deleted workflows")
    .argument("<workspace>")
    .action(async (workspace: string, _flags: object, command: Command) => {
      const trashed = await clientFor(command).listTrash(workspace);
      if (globalOptions(command).json) return printJson(trashed);
      if (trashed.length === 0) return printLines(`the trash of ${workspace} is empty`);
      printLines(...table([["URL", "NAME", "DELETED"], ...trashed.map((w) => [w.url, w.name, w.deletedAt])]));
    });

  workflows
    .command("token")
    .description("a token that may only run this workflow")
    .argument("<workspace/url>")
    .option("--ttl <seconds>", "how long it is valid (server default: 900)", positiveInteger)
    .action(async (text: string, flags: { ttl?: number }, command: Command) => {
      const { workspace, id } = workflowRef(text, command);
      const token = await clientFor(command).createWorkflowToken(workspace, id, flags.ttl ? { ttlSeconds: flags.ttl } : {});
      if (globalOptions(command).json) return printJson(token);
      printLines(token.token, `expires ${token.expiresAt}`);
    });
}

function workflowRef(text: string, command: Command): WorkflowRef {
  return parseWorkflowRef(text) ?? usageError(command, `"${text}" is not workspace/url`);
}

function report(done: string, saved: SavedWorkflow, command: Command): void {
  if (globalOptions(command).json) return printJson(saved);
  printLines(`${done} ${saved.workflow.workspace}/${saved.workflow.url}`);
  printSaved(saved);
}

function printSaved({ workflow, etag }: SavedWorkflow): void {
  printLines(
    ...table([
      ["name", workflow.name],
      ["public", workflow.public ? "yes" : "no"],
      ["version", workflow.versionId],
      ["updated", workflow.updatedAt],
      ["etag", etag],
    ]),
  );
}
