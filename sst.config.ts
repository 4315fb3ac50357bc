/// <reference path="./.sst/platform/config.d.ts" />
/**
 * The AWS deployment (docs/deploy.md): `npx sst deploy --stage prod`. Thin: the resources are in
 * infra/*.ts, the values that carry behaviour in infra's plain modules.
 */
export default $config({
  app(input) {
    return {
      name: "cvflow",
      home: "aws",
      removal: input?.stage === "prod" ? "retain" : "remove",
      protect: input?.stage === "prod",
      // The version SST's platform pins (.sst/platform/package.json), so `sst install` looks nothing up.
      providers: { aws: "7.20.0" },
    };
  },
  async run() {
    const { deploySettings } = await import("./infra/deploy-settings.js");
    const { createStorage } = await import("./infra/storage.js");
    const { createImage } = await import("./infra/image.js");
    const { createBatch } = await import("./infra/batch.js");
    const { createEngine } = await import("./infra/engine.js");
    const { createRuns } = await import("./infra/runs.js");

    const settings = deploySettings(process.env);
    const prefix = `${$app.name}-${$app.stage}`;
    const disposable = $app.removal === "remove";
    const tokenSecret = new sst.Secret("TokenSecret");
    const webhookSecret = new sst.Secret("WebhookSecret");

    const { bucket } = createStorage({ prefix, uploadOrigins: settings.uploadOrigins, forceDestroy: disposable });
    const { imageUri } = await createImage({ prefix, root: $cli.paths.root, forceDelete: disposable });
    const batch = createBatch({ prefix, imageUri, bucket, settings });
    const runs = createRuns({ prefix, imageUri, bucket, webhookSecret: webhookSecret.value, settings });
    const api = createEngine({ prefix, imageUri, bucket, tokenSecret: tokenSecret.value, webhookSecret: webhookSecret.value, stateMachineArn: batch.stateMachine.arn, runs, settings });

    return { url: api.url.functionUrl, bucket: bucket.bucket, stateMachineArn: batch.stateMachine.arn };
  },
});
