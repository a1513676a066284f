import fs from 'node:fs';
import path from 'node:path';

/** The images pinned in infra/images/images.env, the one place they are named. */
export interface PinnedImages {
  KAFKA_OFFICIAL_IMAGE: string;
  MONGO_OFFICIAL_IMAGE: string;
  KAFKA_LOCAL_IMAGE: string;
  DATABASE_LOCAL_IMAGE: string;
}

export interface ImageChoice {
  kafka: string;
  database: string;
  /** "local": the air-gapped images built by infra/images; "official": apache/kafka and mongo. */
  flavour: 'local' | 'official';
}

function findImagesEnv(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'infra', 'images', 'images.env');
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('infra/images/images.env not found above ' + __dirname);
    dir = parent;
  }
}

export function pinnedImages(file = findImagesEnv()): PinnedImages {
  const values: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match?.[1] && match[2] !== undefined) values[match[1]] = match[2];
  }
  const required = [
    'KAFKA_OFFICIAL_IMAGE',
    'MONGO_OFFICIAL_IMAGE',
    'KAFKA_LOCAL_IMAGE',
    'DATABASE_LOCAL_IMAGE',
  ] as const;
  for (const key of required) {
    if (!values[key]) throw new Error(`${file} does not define ${key}`);
  }
  return values as unknown as PinnedImages;
}
