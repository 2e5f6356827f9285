/** The item's protected disks: name, OS or data disk, size and protection state. */
import type { DiskDetails } from '../../api/types.js';
import { SimpleTable, type Column } from '../../components/SimpleTable.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { formatMiB } from '../../format/words.js';

const DISK_COLUMNS: Array<Column<DiskDetails>> = [
  { header: 'Disk', cell: (disk) => disk.vhdName ?? disk.vhdId },
  { header: 'Type', cell: (disk) => (disk.vhdType === 'OperatingSystem' ? 'OS disk' : 'Data disk') },
  { header: 'Size', cell: (disk) => formatMiB(disk.maxSizeMB) },
  { header: 'State', cell: (disk) => <StatusBadge value={disk.protectionState} /> },
];

export function ItemDisks(props: { disks: readonly DiskDetails[] | undefined }) {
  const disks = props.disks ?? [];
  if (disks.length === 0) return <p class="empty">No disk is protected.</p>;
  return <SimpleTable columns={DISK_COLUMNS} rows={disks} rowKey={(disk) => disk.vhdId ?? disk.vhdName} />;
}
