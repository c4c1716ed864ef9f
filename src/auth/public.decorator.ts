import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'app:isPublic';

/** Marks a route or controller as reachable without `x-api-key` (health, docs, the webhook). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
