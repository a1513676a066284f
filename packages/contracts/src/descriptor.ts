import path from 'node:path';

/**
 * Path of the binary FileDescriptorSet of every contract (built by `buf build`
 * in the `generate` task). The gRPC service kit feeds it to server reflection.
 */
export function descriptorSetPath(): string {
  return path.join(__dirname, 'gen', 'buergerservice.binpb');
}
