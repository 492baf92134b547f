// The office's forwarding settings (see .env.example), set by the composition root; a process that
// never configured them (a script) reads them from its environment like main.ts would.
import { loadConfig, type Config } from '../platform/config.js';

export type ForwardingSettings = Pick<Config, 'FORWARDING_APPROVAL' | 'FORWARDING_NUMBER_SUFFIX' | 'AGENCY_LINK_DAYS_AFTER_DEADLINE' | 'AGENCY_SESSION_MINUTES' | 'OFFICE_NAME' | 'OFFICE_PARENT_BODY' | 'OFFICE_PLACE' | 'OFFICE_CONTACT'>;

let configured: ForwardingSettings | null = null;

export function configureForwarding(config: ForwardingSettings): void {
  configured = config;
}

export function forwardingSettings(): ForwardingSettings {
  configured ??= loadConfig(process.env);
  return configured;
}
