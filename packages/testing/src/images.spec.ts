import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pinnedImages } from './images.js';

describe('pinnedImages', () => {
  it('reads the pinned images of the repository', () => {
    const images = pinnedImages();
    expect(images.KAFKA_OFFICIAL_IMAGE).toMatch(/kafka:3\.9/);
    expect(images.KAFKA_LOCAL_IMAGE).toMatch(/^localhost\//);
  });

  it('names a missing image key', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'images-')), 'images.env');
    fs.writeFileSync(file, 'KAFKA_OFFICIAL_IMAGE=apache/kafka:3.9.1\n');
    expect(() => pinnedImages(file)).toThrow(/MONGO_OFFICIAL_IMAGE/);
  });
});
