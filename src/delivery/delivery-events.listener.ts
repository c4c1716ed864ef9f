import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { logSafeText, maskPhone } from '@app/thai-bulk-sms/helpers';
import { DELIVERY_EVENTS, SmsDeliveryEvent } from './delivery.events';

/**
 * Where your own code would react to deliveries (mark an order notified, alert on failures…).
 * Every field of a report came from outside: logged masked, escaped and bounded (logSafeText).
 */
@Injectable()
export class DeliveryEventsListener {
  private readonly logger = new Logger('Delivery');

  @OnEvent(DELIVERY_EVENTS.delivered)
  onDelivered(event: SmsDeliveryEvent): void {
    this.logger.log({ msg: 'SMS delivered', messageId: logSafeText(event.messageId), phone: maskPhone(event.phone) });
  }

  @OnEvent(DELIVERY_EVENTS.failed)
  onFailed(event: SmsDeliveryEvent): void {
    this.logger.warn({
      msg: 'SMS delivery failed',
      messageId: logSafeText(event.messageId),
      phone: maskPhone(event.phone),
      error: logSafeText(event.error, 200),
    });
  }
}
