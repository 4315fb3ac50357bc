/**
 * The functions' container image: an ECR repository, and functions/Dockerfile built for
 * linux/amd64 and pushed to it (Docker with buildx on the deploying machine). Every function runs
 * this one image, referenced by digest so that a new build updates them all.
 */
import { join } from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { imagePullStatements, policyDocument } from "./iam-policies.js";

export interface ImageArgs {
  prefix: string;
  /** The repository's root: the build context. */
  root: string;
  /** Delete the repository with its images when the stage is removed. */
  forceDelete: boolean;
}

/** Older images are expired: a rollback within the last few deployments stays possible. */
const KEPT_IMAGES = 10;

export async function createImage(args: ImageArgs): Promise<{ imageUri: pulumi.Output<string> }> {
  // Imported when run: `sst install` evaluates the config before SST's platform (which has it) is installed.
  const dockerBuild = await import("@pulumi/docker-build");
  const repository = new aws.ecr.Repository("FunctionsRepository", {
    name: `${args.prefix}-functions`,
    forceDelete: args.forceDelete,
    imageScanningConfiguration: { scanOnPush: true },
  });
  new aws.ecr.LifecyclePolicy("FunctionsRepositoryLifecycle", {
    repository: repository.name,
    policy: JSON.stringify({
      rules: [{ rulePriority: 1, description: `keep the last ${KEPT_IMAGES} images`, selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: KEPT_IMAGES }, action: { type: "expire" } }],
    }),
  });
  const region = aws.getRegionOutput().region;
  const account = aws.getCallerIdentityOutput().accountId;
  const partition = aws.getPartitionOutput().partition;
  new aws.ecr.RepositoryPolicy("FunctionsRepositoryPolicy", {
    repository: repository.name,
    policy: pulumi.interpolate`arn:${partition}:lambda:${region}:${account}:function:${args.prefix}-*`.apply((functions) => JSON.stringify(policyDocument(imagePullStatements(functions)))),
  });
  const token = aws.ecr.getAuthorizationTokenOutput({ registryId: repository.registryId });
  const image = new dockerBuild.Image("FunctionsImage", {
    context: { location: args.root },
    dockerfile: { location: join(args.root, "functions", "Dockerfile") },
    platforms: [dockerBuild.Platform.Linux_amd64],
    push: true,
    tags: [pulumi.interpolate`${repository.repositoryUrl}:latest`],
    registries: [{ address: repository.repositoryUrl, username: token.userName, password: pulumi.secret(token.password) }],
  });
  return { imageUri: pulumi.interpolate`${repository.repositoryUrl}@${image.digest}` };
}
