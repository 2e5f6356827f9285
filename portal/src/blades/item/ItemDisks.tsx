/** The item's protected disks: name, OS or data disk, size and protection state. */
import type { DiskDetails } from '../../api/types.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { formatMiB } from '../../format/words.js';

export function ItemDisks(props: { disks: readonly DiskDetails[] | undefined }) {
  const disks = props.disks ?? [];
  if (disks.length === 0) return <p class="empty">No disk is protected.</p>;
  return (
    <table class="grid">
      <thead>
        <tr>
          <th scope="col">Disk</th>
          <th scope="col">Type</th>
          <th scope="col">Size</th>
          <th scope="col">State</th>
        </tr>
      </thead>
      <tbody>
        {disks.map((disk) => (
          <tr key={disk.vhdId ?? disk.vhdName}>
            <td>{disk.vhdName ?? disk.vhdId}</td>
            <td>{disk.vhdType === 'OperatingSystem' ? 'OS disk' : 'Data disk'}</td>
            <td>{formatMiB(disk.maxSizeMB)}</td>
            <td>
              <StatusBadge value={disk.protectionState} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
