/**
 * The resources as the service sends them (JSON: times are ISO-8601 strings), the fields the console
 * reads. Names and shapes are ASR's (`@azure/arm-recoveryservices-siterecovery`'s models).
 */

export interface ArmResource<P> {
  id: string;
  name: string;
  type?: string;
  location?: string;
  properties: P;
}

export interface HealthError {
  errorCode?: string;
  errorLevel?: string;
  errorCategory?: string;
  summaryMessage?: string;
  errorMessage?: string;
  possibleCauses?: string;
  recommendedAction?: string;
  creationTimeUtc?: string;
}

export interface DiskDetails {
  vhdId?: string;
  vhdName?: string;
  vhdType?: string;
  maxSizeMB?: string;
  lunId?: string;
  protectionState?: string;
}

export interface IpConfig {
  name?: string;
  isPrimary?: boolean;
  subnetName?: string;
  staticIPAddress?: string;
  recoverySubnetName?: string;
  recoveryStaticIPAddress?: string;
  recoveryIPAddressType?: string;
  tfoSubnetName?: string;
  tfoStaticIPAddress?: string;
}

export interface VmNic {
  nicId?: string;
  vMNetworkName?: string;
  recoveryVMNetworkId?: string;
  tfoVMNetworkId?: string;
  selectionType?: string;
  ipConfigs?: IpConfig[];
}

/** `HyperVReplicaAzureReplicationDetails`. */
export interface ReplicationDetails {
  instanceType?: string;
  azureVmDiskDetails?: DiskDetails[];
  recoveryAzureVmName?: string;
  recoveryAzureVMSize?: string;
  lastReplicatedTime?: string;
  rpoInSeconds?: number;
  lastRecoveryPointReceived?: string;
  vmProtectionStateDescription?: string;
  initialReplicationDetails?: { initialReplicationProgressPercentage?: string };
  vmNics?: VmNic[];
  selectedRecoveryAzureNetworkId?: string;
  oSDetails?: { osType?: string };
  sourceVmRamSizeInMB?: number;
  sourceVmCpuCount?: number;
  licenseType?: string;
}

export interface CurrentScenario {
  scenarioName?: string;
  jobId?: string;
  startTime?: string;
}

export interface ProtectedItemProperties {
  friendlyName?: string;
  primaryFabricFriendlyName?: string;
  recoveryFabricFriendlyName?: string;
  primaryProtectionContainerFriendlyName?: string;
  protectionState?: string;
  protectionStateDescription?: string;
  testFailoverState?: string;
  testFailoverStateDescription?: string;
  activeLocation?: string;
  allowedOperations?: string[];
  replicationHealth?: string;
  failoverHealth?: string;
  healthErrors?: HealthError[];
  policyFriendlyName?: string;
  lastSuccessfulFailoverTime?: string;
  lastSuccessfulTestFailoverTime?: string;
  currentScenario?: CurrentScenario;
  providerSpecificDetails?: ReplicationDetails;
}
export type ProtectedItem = ArmResource<ProtectedItemProperties>;

export type RecoveryPoint = ArmResource<{ recoveryPointTime?: string; recoveryPointType?: string }>;

export interface JobError {
  serviceErrorDetails?: { code?: string; message?: string; possibleCauses?: string; recommendedAction?: string };
  providerErrorDetails?: { errorId?: number | string; errorMessage?: string; possibleCauses?: string; recommendedAction?: string };
  errorLevel?: string;
  taskId?: string;
  creationTime?: string;
}

export interface JobTask {
  taskId?: string;
  name?: string;
  friendlyName?: string;
  state?: string;
  stateDescription?: string;
  startTime?: string;
  endTime?: string;
  errors?: JobError[];
  groupTaskCustomDetails?: { childTasks?: JobTask[] };
}

export interface JobProperties {
  scenarioName?: string;
  friendlyName?: string;
  state?: string;
  stateDescription?: string;
  tasks?: JobTask[];
  errors?: JobError[];
  startTime?: string;
  endTime?: string;
  allowedActions?: string[];
  targetObjectId?: string;
  targetObjectName?: string;
  targetInstanceType?: string;
}
export type Job = ArmResource<JobProperties>;

export type Vault = ArmResource<{ provisioningState?: string }>;

export interface PlanAction {
  actionName?: string;
  failoverTypes?: string[];
  failoverDirections?: string[];
  customDetails?: { instanceType?: string; runbookId?: string; path?: string; description?: string; timeout?: string; fabricLocation?: string };
}

export interface PlanGroup {
  groupType?: string;
  replicationProtectedItems?: Array<{ id?: string; virtualMachineId?: string }>;
  startGroupActions?: PlanAction[];
  endGroupActions?: PlanAction[];
}

export interface PlanProperties {
  friendlyName?: string;
  primaryFabricFriendlyName?: string;
  recoveryFabricFriendlyName?: string;
  allowedOperations?: string[];
  groups?: PlanGroup[];
  lastTestFailoverTime?: string;
  lastPlannedFailoverTime?: string;
  lastUnplannedFailoverTime?: string;
  currentScenario?: CurrentScenario;
  currentScenarioStatus?: string;
  currentScenarioStatusDescription?: string;
}
export type RecoveryPlan = ArmResource<PlanProperties>;

export type Fabric = ArmResource<{
  friendlyName?: string;
  health?: string;
  healthErrorDetails?: HealthError[];
  customDetails?: { instanceType?: string; location?: string; hyperVHosts?: Array<{ id?: string; name?: string }> };
}>;

export type RecoveryServicesProvider = ArmResource<{
  friendlyName?: string;
  fabricFriendlyName?: string;
  lastHeartBeat?: string;
  connectionStatus?: string;
  protectedItemCount?: number;
  providerVersion?: string;
  providerVersionState?: string;
  healthErrorDetails?: HealthError[];
}>;

export type Policy = ArmResource<{
  friendlyName?: string;
  providerSpecificDetails?: {
    instanceType?: string;
    replicationInterval?: number;
    recoveryPointHistoryDurationInHours?: number;
    applicationConsistentSnapshotFrequencyInHours?: number;
  };
}>;

export type ContainerMapping = ArmResource<{
  sourceFabricFriendlyName?: string;
  sourceProtectionContainerFriendlyName?: string;
  targetFabricFriendlyName?: string;
  targetProtectionContainerFriendlyName?: string;
  policyFriendlyName?: string;
  state?: string;
  health?: string;
}>;

export type Network = ArmResource<{
  fabricType?: string;
  friendlyName?: string;
  networkType?: string;
  subnets?: Array<{ name?: string; friendlyName?: string; addressList?: string[] }>;
}>;

export type NetworkMapping = ArmResource<{
  state?: string;
  primaryNetworkFriendlyName?: string;
  primaryFabricFriendlyName?: string;
  recoveryNetworkFriendlyName?: string;
  recoveryFabricName?: string;
  recoveryFabricFriendlyName?: string;
}>;

export type SiteRecoveryEvent = ArmResource<{
  eventCode?: string;
  eventType?: string;
  description?: string;
  severity?: string;
  timeOfOccurrence?: string;
  affectedObjectFriendlyName?: string;
  affectedObjectCorrelationId?: string;
  healthErrors?: Array<{ errorCode?: string; errorMessage?: string; possibleCauses?: string; recommendedAction?: string }>;
}>;

export type ComputeSize = ArmResource<{ name?: string; cpuCoresCount?: number; memoryInGB?: number }>;
