/**
 * Loaded before the service: `node --require @buergerservice/telemetry/register dist/main.js`.
 * Reads the telemetry configuration from the environment and starts the SDK
 * before the service's first `require` of http, express, grpc-js or mongoose,
 * which is what lets the instrumentations patch them.
 *
 * An invalid configuration stops the process here, before the service starts.
 */
import { loadTelemetryConfig } from './config.js';
import { startTelemetry } from './start.js';

startTelemetry(loadTelemetryConfig());
