export { type InfraContainer, killContainer, restartContainer, startContainer, stopContainer } from './containers.js';
export { type ImageChoice, type PinnedImages, pinnedImages } from './images.js';
export {
  chooseImages,
  databaseUrl,
  type InfraEndpoints,
  type InfraOptions,
  infraEnv,
  type KafkaListenerPorts,
  type KafkaProxyOption,
  kafkaBrokers,
  kafkaEnvironment,
  type ProxiedKafkaListener,
  type StartedInfra,
  type StartedKafka,
  sharedInfra,
  startInfra,
  startKafka,
} from './infra.js';
export { TestIssuer } from './issuer.js';
export { generateTestPki, type TestIdentity, type TestPki } from './pki.js';
export { ServiceProcess, type ServiceProcessOptions } from './processes.js';
export { createTopics, type RecordedMessage, TopicRecorder, testKafka } from './kafka.js';
export { uniqueName } from './names.js';
export * from './otlp-receiver.js';
export { WaitAborted, waitUntil } from './wait.js';
