#!/usr/bin/env node
/** The `sr` command. */
import { runCli } from './program.js';

process.exitCode = await runCli(process.argv.slice(2), { streams: { stdout: process.stdout, stderr: process.stderr } });
