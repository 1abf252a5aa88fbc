import { randomInt } from 'node:crypto';

const adjectives = ['amber', 'bold', 'brave', 'bright', 'calm', 'clever', 'crisp', 'eager', 'gentle', 'glad', 'keen', 'lively', 'lucky', 'merry', 'nimble', 'quiet', 'rapid', 'sharp', 'silent', 'steady', 'swift', 'tidy', 'vivid', 'warm', 'wise'];
const nouns = ['badger', 'bear', 'crane', 'deer', 'dove', 'eagle', 'falcon', 'finch', 'fox', 'hare', 'heron', 'lark', 'lynx', 'moth', 'otter', 'owl', 'panda', 'raven', 'robin', 'seal', 'snail', 'swan', 'tiger', 'whale', 'wolf'];

/** A readable display name for a run created without one, as MLflow does ("swift-otter-42"). */
export function randomRunName(): string {
  return `${adjectives[randomInt(adjectives.length)]}-${nouns[randomInt(nouns.length)]}-${randomInt(1000)}`;
}
