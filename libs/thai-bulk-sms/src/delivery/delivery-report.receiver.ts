import { Inject, Injectable } from '@nestjs/common';
import { ThaiBulkSmsClock } from '../client/clock';
import { ObserverDispatcher } from '../observers/observer-dispatcher';
import { parseDeliveryReport } from './delivery-report.parser';
import { DeliveryReport } from './delivery-report.types';

/**
 * The entry for a delivery-report webhook: reads the report whatever its shape and tells the
 * observers (the ledger records it) before it resolves, so a handler that emits events after
 * `receive` emits them for a report that is already recorded. Never rejects.
 */
@Injectable()
export class DeliveryReportReceiver {
  constructor(
    @Inject(ThaiBulkSmsClock) private readonly clock: ThaiBulkSmsClock,
    @Inject(ObserverDispatcher) private readonly observers: ObserverDispatcher,
  ) {}

  async receive(payload: unknown): Promise<DeliveryReport> {
    const report = parseDeliveryReport(payload);
    const at = new Date(this.clock.now());
    await this.observers.notify('onDeliveryReport', () => ({ at, report }));
    return report;
  }
}
