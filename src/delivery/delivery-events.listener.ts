import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { maskPhone } from '@app/thai-bulk-sms';
import { DELIVERY_EVENTS, SmsDeliveryEvent } from './delivery.events';

/** Where your own code would react to deliveries (mark an order notified, alert on failures…). */
@Injectable()
export class DeliveryEventsListener {
  private readonly logger = new Logger('Delivery');

  @OnEvent(DELIVERY_EVENTS.delivered)
  onDelivered(event: SmsDeliveryEvent): void {
    this.logger.log({ msg: 'SMS delivered', messageId: event.messageId, phone: maskPhone(event.phone) });
  }

  @OnEvent(DELIVERY_EVENTS.failed)
  onFailed(event: SmsDeliveryEvent): void {
    this.logger.warn({
      msg: 'SMS delivery failed',
      messageId: event.messageId,
      phone: maskPhone(event.phone),
      error: event.error,
    });
  }
}
