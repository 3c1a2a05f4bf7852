import type { GraphClient } from './client.js';

/**
 * The Page's Messenger profile: the Get Started button (its postback opens the topic menu), a greeting shown before
 * the first message, and a persistent menu with the topics, a person, and contacts.
 */
export const MESSENGER_PROFILE = {
  get_started: { payload: 'GET_STARTED' },
  greeting: [
    {
      locale: 'default',
      text: 'Xin chào {{user_first_name}}! Đây là trợ lý tự động của Hải quan cửa khẩu Hoành Mô: hỏi về thủ tục, thuế, hàng hóa qua cửa khẩu. Câu hỏi chưa có sẵn câu trả lời sẽ được chuyển cho cán bộ.',
    },
  ],
  persistent_menu: [
    {
      locale: 'default',
      composer_input_disabled: false,
      call_to_actions: [
        { type: 'postback', title: 'Chủ đề thường gặp', payload: 'MENU' },
        { type: 'postback', title: 'Gặp cán bộ hải quan', payload: 'HANDOFF' },
        { type: 'postback', title: 'Giờ làm việc, liên hệ', payload: 'MENU:lien-he' },
      ],
    },
  ],
} as const;

export async function configureMessengerProfile(client: GraphClient): Promise<void> {
  await client.post('/me/messenger_profile', MESSENGER_PROFILE);
}
