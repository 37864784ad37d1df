import nodemailer, { type Transporter } from 'nodemailer';
import type { NotifyService } from '../repo.js';
import { escapeHtml } from '../../platform/text/escape.js';
import { emailHtml } from '../templates.js';

export interface OutgoingEmail { id: string; to: string; subject: string; body: string }

/** How a provider call ended: delivered, or a failure that is worth retrying or not. */
export type ProviderOutcome = { ok: true; reference: string } | { ok: false; retry: boolean; permanent: boolean; error: string };

/** The email's HTML with the agency's branding (a coloured bar with its name), safe for mail clients. */
export function brandedHtml(service: Pick<NotifyService, 'name' | 'brand_name' | 'brand_colour'>, bodyHtml: string): string {
  const colour = /^#[0-9a-f]{6}$/i.test(service.brand_colour ?? '') ? service.brand_colour : '#0b0c0c';
  return `<!DOCTYPE html><html><body style="font-family:Arial,sans-serif;font-size:19px;color:#0b0c0c;margin:0">`
    + `<div style="background:${colour};color:#fff;padding:12px 16px;font-weight:bold">${escapeHtml(service.brand_name ?? service.name)}</div>`
    + `<div style="padding:16px;max-width:580px">${bodyHtml}</div></body></html>`;
}

/**
 * Where an email goes when there is no SMTP_URL: nowhere. It is kept in the notifications table as every message
 * is, marked with this provider, and the development mail viewer (/staff/development-mail) lists it.
 */
export const CAPTURED_EMAIL_PROVIDER = 'development-mail';

/**
 * Email over SMTP with a pooled nodemailer transport; without SMTP_URL nothing is sent and the email is captured. The Message-ID and X-Notification-Id carry the notification
 * id, so a retry after a crash is the same message to the relay (docs/decisions/0033).
 */
export class SmtpEmailProvider {
  private readonly transport: Transporter | undefined;

  constructor(smtpUrl: string | undefined, poolSize: number, private readonly fromAddress: string) {
    this.transport = smtpUrl
      ? nodemailer.createTransport({ url: smtpUrl, pool: true, maxConnections: poolSize, maxMessages: Infinity, connectionTimeout: 5000, greetingTimeout: 5000, socketTimeout: 15000 } as never)
      : undefined;
  }

  /** Whether emails are captured for the development mail viewer rather than sent (no SMTP_URL). */
  get captures(): boolean {
    return this.transport === undefined;
  }

  async send(service: Pick<NotifyService, 'name' | 'email_from_name' | 'email_reply_to' | 'brand_name' | 'brand_colour'>, email: OutgoingEmail): Promise<ProviderOutcome & { provider?: string }> {
    if (!this.transport) return { ok: true, reference: `captured-${email.id}`, provider: CAPTURED_EMAIL_PROVIDER };
    try {
      const info = await this.transport.sendMail({
        from: { name: service.email_from_name, address: this.fromAddress },
        replyTo: service.email_reply_to ?? undefined,
        to: email.to,
        subject: email.subject,
        text: email.body,
        html: brandedHtml(service, emailHtml(email.body, {})),
        messageId: `<${email.id}@notify.plaza>`,
        headers: { 'X-Notification-Id': email.id },
      });
      return { ok: true, reference: String(info.messageId ?? email.id) };
    } catch (error) {
      const err = error as { responseCode?: number; code?: string; message?: string };
      const permanent = typeof err.responseCode === 'number' && err.responseCode >= 500;
      return { ok: false, retry: !permanent, permanent, error: `${err.code ?? 'SMTP'} ${err.responseCode ?? ''} ${err.message ?? ''}`.slice(0, 500) };
    }
  }

  close(): void {
    this.transport?.close();
  }
}
