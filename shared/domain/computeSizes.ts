/**
 * The VM sizes the recovery site offers, and which of them can run a protected VM: a size must have
 * room for the VM's data disks and its network adapters and support its Hyper-V generation. The
 * catalogue is the recovery site's; the sizes carry Azure's names so scripts that set
 * `recoveryAzureVMSize` keep working. Pure.
 */

export interface ComputeSize {
  name: string;
  cpuCoresCount: number;
  memoryInGB: number;
  maxDataDiskCount: number;
  maxNicsCount: number;
  highIopsSupported: 'Supported' | 'NotSupported';
  hyperVGenerations: Array<'V1' | 'V2'>;
}

const size = (name: string, cpuCoresCount: number, memoryInGB: number, maxDataDiskCount: number, maxNicsCount: number, premium: boolean): ComputeSize => ({
  name,
  cpuCoresCount,
  memoryInGB,
  maxDataDiskCount,
  maxNicsCount,
  highIopsSupported: premium ? 'Supported' : 'NotSupported',
  hyperVGenerations: ['V1', 'V2'],
});

/** The recovery site's sizes, smallest first. */
export const COMPUTE_SIZES: readonly ComputeSize[] = [
  { ...size('Basic_A0', 1, 0.75, 1, 2, false), hyperVGenerations: ['V1'] },
  { ...size('Standard_A1_v2', 1, 2, 2, 2, false), hyperVGenerations: ['V1'] },
  size('Standard_B2s', 2, 4, 4, 3, true),
  size('Standard_D2s_v3', 2, 8, 4, 2, true),
  size('Standard_D4s_v3', 4, 16, 8, 2, true),
  size('Standard_D8s_v3', 8, 32, 16, 4, true),
  size('Standard_D16s_v3', 16, 64, 32, 8, true),
  size('Standard_E4s_v3', 4, 32, 8, 2, true),
  size('Standard_E8s_v3', 8, 64, 16, 4, true),
  size('Standard_F4s_v2', 4, 8, 8, 2, true),
];

export interface SizeFitInput {
  dataDiskCount: number;
  nicCount: number;
  generation: number;
}

export interface SizeError {
  errorCode: string;
  message: string;
  possibleCauses: string;
  recommendedAction: string;
  severity: 'Error';
}

/** Why a size cannot run the VM (empty when it can). */
export function sizeErrors(candidate: ComputeSize, vm: SizeFitInput): SizeError[] {
  const errors: SizeError[] = [];
  if (vm.dataDiskCount > candidate.maxDataDiskCount) {
    errors.push({
      errorCode: 'DataDiskCountExceeded',
      message: `Size '${candidate.name}' holds at most ${candidate.maxDataDiskCount} data disks; the virtual machine has ${vm.dataDiskCount}.`,
      possibleCauses: 'The size is too small for the virtual machine\'s disks.',
      recommendedAction: 'Choose a size with more data disk slots.',
      severity: 'Error',
    });
  }
  if (vm.nicCount > candidate.maxNicsCount) {
    errors.push({
      errorCode: 'NicCountExceeded',
      message: `Size '${candidate.name}' takes at most ${candidate.maxNicsCount} network adapters; the virtual machine has ${vm.nicCount}.`,
      possibleCauses: 'The size is too small for the virtual machine\'s network adapters.',
      recommendedAction: 'Choose a size that takes more network adapters.',
      severity: 'Error',
    });
  }
  const generation = vm.generation === 1 ? 'V1' : 'V2';
  if (!candidate.hyperVGenerations.includes(generation)) {
    errors.push({
      errorCode: 'HyperVGenerationNotSupported',
      message: `Size '${candidate.name}' does not run generation ${vm.generation} virtual machines.`,
      possibleCauses: 'The size supports only generation 1 virtual machines.',
      recommendedAction: 'Choose a size that supports the virtual machine\'s generation.',
      severity: 'Error',
    });
  }
  return errors;
}

/** The size of that name (case-insensitive), or `undefined`. */
export const findComputeSize = (name: string): ComputeSize | undefined => COMPUTE_SIZES.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
