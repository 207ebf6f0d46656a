import { AccountEntity } from './account.entity';
import { ApiKeyEntity } from './api-key.entity';
import { ApplicationEntity } from './application.entity';
import { DeliveryAttemptEntity } from './delivery-attempt.entity';
import { MessageEventEntity } from './message-event.entity';
import { MessageEntity } from './message.entity';
import { PhoneNumberEntity } from './phone-number.entity';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';

export {
  AccountEntity,
  ApiKeyEntity,
  ApplicationEntity,
  DeliveryAttemptEntity,
  MessageEventEntity,
  MessageEntity,
  PhoneNumberEntity,
  WebhookDeliveryEntity,
};

export const ENTITIES = [
  AccountEntity,
  ApiKeyEntity,
  ApplicationEntity,
  PhoneNumberEntity,
  MessageEntity,
  MessageEventEntity,
  WebhookDeliveryEntity,
  DeliveryAttemptEntity,
];
