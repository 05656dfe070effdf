/** The end-to-end tests' access to the badge's closed shadow root (shared with the browser demo). */
export { ClosedBadge, waitUntil, type BadgeNode } from '../../lib/cli/closed-badge';
