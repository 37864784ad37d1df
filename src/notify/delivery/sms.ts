import type { ProviderOutcome } from './email.js';

export interface OutgoingSms { id: string; to: string; from: string; body: string }

/** A text message provider: one HTTP API each, or the built-in simulator. */
export interface SmsProvider {
  name: string;
  send(sms: OutgoingSms): Promise<ProviderOutcome>;
}

/** Development and test provider: keeps what it was asked to send in memory and reports it delivered. */
export class SimulatorSmsProvider implements SmsProvider {
  readonly name = 'simulator';
  static readonly sent: OutgoingSms[] = [];

  async send(sms: OutgoingSms): Promise<ProviderOutcome> {
    SimulatorSmsProvider.sent.push(sms);
    if (SimulatorSmsProvider.sent.length > 10_000) SimulatorSmsProvider.sent.splice(0, 5_000);
    return { ok: true, reference: `sim-${sms.id}` };
  }
}

/**
 * A provider behind a small JSON-over-HTTP contract: POST {id, to, from, body} with a bearer token and the
 * notification id as Idempotency-Key (so a retry is not a second message); 2xx with optional {reference}.
 */
export class HttpSmsProvider implements SmsProvider {
  constructor(readonly name: string, private readonly url: string, private readonly token: string | undefined) {}

  async send(sms: OutgoingSms): Promise<ProviderOutcome> {
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': sms.id, ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
        body: JSON.stringify(sms),
        signal: AbortSignal.timeout(10_000),
      });
      if (response.ok) {
        const body = await response.json().catch(() => ({})) as { reference?: string };
        return { ok: true, reference: body.reference ?? sms.id };
      }
      const permanent = response.status === 400 || response.status === 422;
      return { ok: false, retry: !permanent, permanent, error: `HTTP ${response.status}` };
    } catch (error) {
      return { ok: false, retry: true, permanent: false, error: (error as Error).message.slice(0, 300) };
    }
  }
}

/**
 * Sends through the first healthy provider and fails over to the next when one errors; a provider that
 * failed is skipped for a cool-down so the next messages go straight to the other.
 */
export class FailoverSms {
  private readonly downUntil = new Map<string, number>();

  constructor(readonly providers: SmsProvider[], private readonly coolDownMs = 30_000) {}

  async send(sms: OutgoingSms): Promise<ProviderOutcome & { provider?: string }> {
    const now = Date.now();
    const ordered = [...this.providers].sort((a, b) => Number((this.downUntil.get(a.name) ?? 0) > now) - Number((this.downUntil.get(b.name) ?? 0) > now));
    let last: ProviderOutcome = { ok: false, retry: true, permanent: false, error: 'no SMS provider configured' };
    for (const provider of ordered) {
      last = await provider.send(sms);
      if (last.ok) return { ...last, provider: provider.name };
      if (last.permanent) return { ...last, provider: provider.name };
      this.downUntil.set(provider.name, Date.now() + this.coolDownMs);
    }
    return last;
  }
}

/** Builds the providers from NOTIFY_SMS_PROVIDERS (`simulator`, `http:<url>`), in failover order. */
export function smsProvidersFrom(specs: string[], tokens: (string | undefined)[]): SmsProvider[] {
  return specs.map((spec, i) => (spec === 'simulator' ? new SimulatorSmsProvider() : new HttpSmsProvider(`http-${i + 1}`, spec.slice('http:'.length), tokens[i])));
}
