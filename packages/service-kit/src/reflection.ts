import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  FieldDescriptorProto_Label as Label,
  FieldDescriptorProto_Type as Type,
  type FileDescriptorProto,
  FileDescriptorProtoSchema,
  FileDescriptorSetSchema,
} from '@bufbuild/protobuf/wkt';
import type { PackageDefinition } from '@grpc/proto-loader';

/**
 * The input for @grpc/reflection: the contracts' descriptor set plus the
 * health service's descriptor, as the original files.
 *
 * Why not proto-loader's `loadFileDescriptorSetFromBuffer`: it regroups types
 * per package into one file named after the package's last file and drops
 * the files' `dependency` lists, so grpcurl fails with "cannot resolve type
 * google.protobuf.Timestamp"; its descriptor of health.proto also has a map
 * entry name that Go rejects. @grpc/reflection only reads
 * `fileDescriptorProtos`, so it is handed the files unchanged.
 */
export function reflectionPackage(descriptorSet: Uint8Array): {
  packageDefinition: PackageDefinition;
  /** Fully qualified names of every service described. */
  services: string[];
} {
  const files = [...fromBinary(FileDescriptorSetSchema, descriptorSet).file, healthFile()];
  return {
    packageDefinition: {
      // The key and format are not read by @grpc/reflection; the entry only carries the files.
      'buergerservice.descriptors': {
        format: 'Protocol Buffer 3 EnumDescriptorProto',
        type: {},
        fileDescriptorProtos: files.map((file) => Buffer.from(toBinary(FileDescriptorProtoSchema, file))),
      },
    },
    services: files.flatMap((file) => file.service.map((service) => `${file.package}.${service.name}`)),
  };
}

/** grpc/health/v1/health.proto as served by grpc-health-check 2.1 (Check, Watch, List). */
function healthFile(): FileDescriptorProto {
  const pkg = '.grpc.health.v1';
  const string = (name: string, number: number) => ({ name, number, label: Label.OPTIONAL, type: Type.STRING });
  return create(FileDescriptorProtoSchema, {
    name: 'grpc/health/v1/health.proto',
    package: 'grpc.health.v1',
    syntax: 'proto3',
    messageType: [
      { name: 'HealthListRequest' },
      {
        name: 'HealthListResponse',
        field: [
          {
            name: 'statuses',
            number: 1,
            label: Label.REPEATED,
            type: Type.MESSAGE,
            typeName: `${pkg}.HealthListResponse.StatusesEntry`,
          },
        ],
        nestedType: [
          {
            name: 'StatusesEntry',
            field: [
              string('key', 1),
              {
                name: 'value',
                number: 2,
                label: Label.OPTIONAL,
                type: Type.MESSAGE,
                typeName: `${pkg}.HealthCheckResponse`,
              },
            ],
            options: { mapEntry: true },
          },
        ],
      },
      { name: 'HealthCheckRequest', field: [string('service', 1)] },
      {
        name: 'HealthCheckResponse',
        field: [
          {
            name: 'status',
            number: 1,
            label: Label.OPTIONAL,
            type: Type.ENUM,
            typeName: `${pkg}.HealthCheckResponse.ServingStatus`,
          },
        ],
        enumType: [
          {
            name: 'ServingStatus',
            value: [
              { name: 'UNKNOWN', number: 0 },
              { name: 'SERVING', number: 1 },
              { name: 'NOT_SERVING', number: 2 },
              { name: 'SERVICE_UNKNOWN', number: 3 },
            ],
          },
        ],
      },
    ],
    service: [
      {
        name: 'Health',
        method: [
          { name: 'Check', inputType: `${pkg}.HealthCheckRequest`, outputType: `${pkg}.HealthCheckResponse` },
          {
            name: 'Watch',
            inputType: `${pkg}.HealthCheckRequest`,
            outputType: `${pkg}.HealthCheckResponse`,
            serverStreaming: true,
          },
          { name: 'List', inputType: `${pkg}.HealthListRequest`, outputType: `${pkg}.HealthListResponse` },
        ],
      },
    ],
  });
}
