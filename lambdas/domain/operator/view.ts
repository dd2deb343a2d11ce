import type { Inquiry } from '../inquiry/inquiry.js';
import { vkUrlOf } from '../vk/vk-url.js';

/** An inquiry as the operator API shows it: as stored, and where to open the citizen's words in VK. */
export type InquiryView = Inquiry & { vkUrl?: string };

/** Derived on every answer, not stored: an address VK changes is then changed in one place. */
export function inquiryView(inquiry: Inquiry): InquiryView {
  const vkUrl = vkUrlOf(inquiry.groupId, inquiry.replyTo);
  return vkUrl ? { ...inquiry, vkUrl } : inquiry;
}
