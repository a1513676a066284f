import { readFileSync } from 'node:fs';
import { fromBinary } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { descriptorSetPath } from '@buergerservice/contracts';
import { reflectionPackage } from './reflection';

function files() {
  const { packageDefinition } = reflectionPackage(readFileSync(descriptorSetPath()));
  const protos: unknown = (packageDefinition['buergerservice.descriptors'] as { fileDescriptorProtos?: unknown })
    .fileDescriptorProtos;
  if (!Array.isArray(protos)) throw new Error('no fileDescriptorProtos');
  return protos.filter((b): b is Buffer => b instanceof Buffer).map((b) => fromBinary(FileDescriptorProtoSchema, b));
}

describe('reflectionPackage', () => {
  it('names every service of the contracts and the health service', () => {
    const { services } = reflectionPackage(readFileSync(descriptorSetPath()));
    expect(services).toEqual(
      expect.arrayContaining([
        'buergerservice.registration.v1.RegistrationService',
        'buergerservice.document.v1.DocumentService',
        'grpc.health.v1.Health',
      ]),
    );
  });

  it('hands over the original files with their imports', () => {
    const document = files().find((f) => f.name === 'buergerservice/document/v1/document.proto');
    expect(document?.dependency).toEqual(['google/protobuf/timestamp.proto']);
    expect(document?.service.map((s) => s.name)).toEqual(['DocumentService']);
  });

  it('describes health.proto with a well-formed map entry', () => {
    const health = files().find((f) => f.name === 'grpc/health/v1/health.proto');
    const list = health?.messageType.find((m) => m.name === 'HealthListResponse');
    expect(list?.nestedType[0]?.name).toBe('StatusesEntry');
    expect(list?.nestedType[0]?.options?.mapEntry).toBe(true);
    expect(health?.service[0]?.method.map((m) => [m.name, m.serverStreaming])).toEqual([
      ['Check', false],
      ['Watch', true],
      ['List', false],
    ]);
  });
});
