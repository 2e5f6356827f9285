/** An alert setting of a vault as stored (partition: the vault; name: the setting's, lower case). */
import type { EventSeverity } from '../events/eventModel.js';

export const ALERT_SETTING_ROW = 'alertSetting';

export interface AlertSettingRecord {
  name: string;
  sendToOwners: 'Send' | 'DoNotSend';
  customEmailAddresses: string[];
  locale: string;
  webhookUrl?: string;
  severities: EventSeverity[];
}
