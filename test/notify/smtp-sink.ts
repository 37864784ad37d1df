import { SMTPServer } from 'smtp-server';

/**
 * A local SMTP server that records each message's X-Notification-Id. `refuse(ms)` makes it refuse
 * connections for a while (closes its port), to test an outage of the mail relay.
 */
export class SmtpSink {
  /** Every message received, in order (duplicates kept, so tests can count them). */
  readonly received: string[] = [];
  /** Server errors other than dropped connections (a test may assert there were none). */
  readonly errors: Error[] = [];
  private server: SMTPServer | undefined;
  port = 0;

  async start(port = 0): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true, closeTimeout: 50, disabledCommands: ['STARTTLS'], logger: false, size: 10 * 1024 * 1024, maxClients: 200,
      onData: (stream, _session, callback) => {
        let head = '';
        stream.on('data', (chunk: Buffer) => { if (head.length < 8192) head += chunk.toString('latin1'); });
        stream.on('end', () => {
          const id = /^X-Notification-Id:\s*([0-9a-f-]{36})/im.exec(head)?.[1] ?? 'unknown';
          this.received.push(id);
          callback();
        });
      },
    });
    // A killed worker drops its connections; smtp-server reports that as an 'error' event, which would
    // otherwise be thrown as an uncaught exception in the test process.
    this.server.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') this.errors.push(error);
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as { port: number }).port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Distinct notification ids received. */
  ids(): Set<string> {
    return new Set(this.received);
  }

  /** Closes the port for `ms` milliseconds (connections are refused), then listens again on the same port. */
  async refuse(ms: number): Promise<void> {
    await this.stop();
    await new Promise((resolve) => setTimeout(resolve, ms));
    await this.start(this.port);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
