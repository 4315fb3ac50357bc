#!/usr/bin/env node
// The repository runs TypeScript directly: register tsx's loader (as `node --import tsx` does), then load the entry.
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
