import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Proves that the breaking-change guard CI runs (`buf breaking`) rejects an
// incompatible edit of a v1 contract and accepts an additive one.
const protoDir = path.resolve(__dirname, '../../../proto');
const buf = require.resolve('@bufbuild/buf/bin/buf');

function copyProto(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proto-breaking-'));
  fs.cpSync(protoDir, dir, { recursive: true });
  return dir;
}

function breaking(modified: string) {
  return spawnSync(buf, ['breaking', modified, '--against', protoDir], { encoding: 'utf8' });
}

describe('buf breaking on the v1 contracts', () => {
  jest.setTimeout(60_000);
  const eventsFile = 'buergerservice/registration/v1/events.proto';

  it('fails when a field of a v1 message is renumbered', () => {
    const dir = copyProto();
    const file = path.join(dir, eventsFile);
    const source = fs.readFileSync(file, 'utf8');
    const edited = source.replace('string move_in_date = 6;', 'string move_in_date = 60;');
    expect(edited).not.toBe(source);
    fs.writeFileSync(file, edited);

    const result = breaking(dir);
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/AddressChanged/);
  });

  it('passes when a field is only added', () => {
    const dir = copyProto();
    const file = path.join(dir, eventsFile);
    const source = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(
      file,
      source.replace('  FollowUps follow_ups = 8;\n', '  FollowUps follow_ups = 8;\n  string note = 9;\n'),
    );

    const result = breaking(dir);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('lints clean', () => {
    expect(() => execFileSync(buf, ['lint', protoDir], { encoding: 'utf8' })).not.toThrow();
  });
});
