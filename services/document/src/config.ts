import {
  authorityServiceSettings,
  ConfigError,
  type ConfigProblem,
  envBool,
  envInt,
  envList,
  grpcTlsProblems,
  loadConfig,
  z,
} from '@buergerservice/config';

const optionalPath = z.string().min(1).optional();

/** The document service's configuration, read once at start-up from the environment. */
export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(
    {
      /** gRPC server, database (mongodb://…/document), Kafka, mTLS; CLIENT_POLICY unset = grpc/policy.ts. */
      ...authorityServiceSettings({ port: 50054 }),
      /** PKCS#8 PEM file of the Ed25519 signing key (`openssl genpkey -algorithm ed25519`). */
      SIGNING_KEY_FILE: optionalPath,
      /** Or the key's 32-byte seed in base64 (e.g. from a Kubernetes secret). */
      SIGNING_KEY_SEED: z.string().min(1).optional(),
      /** Allow a random key generated at start when no key is configured: development only, logged loudly. */
      SIGNING_DEV_KEY: envBool().default(false),
      /** PEM public keys of earlier signing keys, comma-separated files, so older documents still verify. */
      SIGNING_PREVIOUS_PUBLIC_KEY_FILES: envList().default([]),
      /** Printed as the issuing authority. */
      ISSUING_AUTHORITY: z.string().min(1).default('Stadt Leipzig'),
      REGISTRATION_OFFICE: z.string().min(1).default('Bürgerservice – Meldebehörde'),
      VEHICLE_OFFICE: z.string().min(1).default('Bürgerservice – Kfz-Zulassungsbehörde'),
      /** Verification address printed and put in the QR code; `{code}` is replaced by the document's code. */
      VERIFICATION_URL: z
        .string()
        .includes('{code}', { message: 'must contain {code}' })
        .default('https://buergerservice.example/pruefen?code={code}'),
      /** TrueType fonts for the PDFs; default DejaVu Sans from the npm package dejavu-fonts-ttf. */
      PDF_FONT_REGULAR: optionalPath,
      PDF_FONT_BOLD: optionalPath,
      /** Pause of the outbox relay between polls when nothing is pending. */
      OUTBOX_POLL_INTERVAL_MS: envInt({ min: 10, max: 60_000 }).default(500),
    },
    env,
  );
  const problems: ConfigProblem[] = grpcTlsProblems(config);
  if (config.SIGNING_KEY_FILE && config.SIGNING_KEY_SEED) {
    problems.push({
      variable: 'SIGNING_KEY_SEED',
      message: 'set either SIGNING_KEY_FILE or SIGNING_KEY_SEED, not both',
    });
  }
  if (!config.SIGNING_KEY_FILE && !config.SIGNING_KEY_SEED && !config.SIGNING_DEV_KEY) {
    problems.push({
      variable: 'SIGNING_KEY_FILE',
      message: 'a signing key is required (SIGNING_KEY_FILE or SIGNING_KEY_SEED; SIGNING_DEV_KEY=true for development)',
    });
  }
  if ((config.PDF_FONT_REGULAR === undefined) !== (config.PDF_FONT_BOLD === undefined)) {
    problems.push({ variable: 'PDF_FONT_BOLD', message: 'set PDF_FONT_REGULAR and PDF_FONT_BOLD together' });
  }
  if (problems.length > 0) throw ConfigError.of(problems);
  return config;
}

export type ServiceConfig = ReturnType<typeof loadServiceConfig>;
