/** The columns of a job in a table. */
import type { Job } from '@azure/arm-recoveryservices-siterecovery';
import type { Column } from './output.js';

export const JOB_COLUMNS: Column[] = [
  { header: 'Name', value: (j) => j.name },
  { header: 'Operation', value: (j) => (j.properties as Job['properties'])?.friendlyName },
  { header: 'Target', value: (j) => (j.properties as Job['properties'])?.targetObjectName },
  { header: 'State', value: (j) => (j.properties as Job['properties'])?.state },
  { header: 'Start', value: (j) => (j.properties as Job['properties'])?.startTime },
  { header: 'End', value: (j) => (j.properties as Job['properties'])?.endTime },
];
