import type { SmallTalk } from './intents.js';

/** Everything the bot says that is not an FAQ answer. Vietnamese, polite, short. */
export const TEXTS = {
  smallTalk: {
    greeting: 'Xin chào! Mình là trợ lý tự động của {office}. Bạn cần hỏi về thủ tục, thuế hay hàng hóa qua cửa khẩu? Hãy gõ câu hỏi, hoặc chọn một chủ đề bên dưới.',
    thanks: 'Cảm ơn bạn! Nếu còn thắc mắc, bạn cứ gõ câu hỏi nhé.',
    ack: 'Vâng. Bạn cần hỏi thêm gì, cứ gõ câu hỏi hoặc chọn chủ đề bên dưới nhé.',
    bye: 'Chào bạn, chúc bạn làm thủ tục thuận lợi!',
    identity: 'Mình là trợ lý tự động của {office}, trả lời các câu hỏi thường gặp về thủ tục hải quan. Câu hỏi mình chưa trả lời được sẽ được chuyển cho cán bộ. Bạn cần hỏi gì ạ?',
    empty: 'Bạn cần hỏi gì ạ? Hãy gõ câu hỏi, hoặc chọn một chủ đề bên dưới.',
  } satisfies Record<SmallTalk, string>,
  menuTitle: 'Các chủ đề thường gặp:',
  categoryTitle: 'Các câu hỏi về "{category}" — bạn chọn một câu, hoặc gõ số thứ tự:',
  menuChoice: 'Chủ đề khác',
  suggest: 'Có phải bạn muốn hỏi:',
  suggestHint: 'Bạn chọn một câu bên dưới hoặc gõ số thứ tự. Nếu không phải, hãy gõ lại câu hỏi cụ thể hơn hoặc chọn "Gặp cán bộ".',
  noAnswer:
    'Xin lỗi, câu hỏi này chưa có trong bộ câu hỏi thường gặp nên mình chưa trả lời được. Bạn có muốn chuyển câu hỏi cho cán bộ hải quan không?',
  retry: 'Vâng, bạn hãy gõ lại câu hỏi, nêu rõ mặt hàng hoặc thủ tục cần hỏi nhé.',
  attachment: 'Mình chỉ đọc được tin nhắn chữ. Bạn vui lòng gõ câu hỏi, hoặc nhắn "gặp cán bộ" để gửi hồ sơ, hình ảnh cho cán bộ.',
  handoffPending: 'Mình đã ghi nhận và chuyển câu hỏi của bạn cho cán bộ hải quan. Cán bộ sẽ trả lời trong giờ làm việc.',
  handoffLimited: 'Hiện có nhiều yêu cầu gặp cán bộ gửi từ cùng một nơi nên mình chưa chuyển được câu hỏi này. Bạn vui lòng thử lại sau, hoặc nhắn qua fanpage, Zalo OA của đơn vị.',
  choiceHandoff: 'Gặp cán bộ',
  choiceConfirmHandoff: 'Chuyển cán bộ',
  choiceRetry: 'Hỏi lại',
  staleChoice: 'Lựa chọn này không còn hiệu lực. Bạn hãy gõ lại câu hỏi nhé.',
  answerQuestionPrefix: '📌 ',
  helpful: 'Hữu ích 👍',
  notHelpful: 'Chưa đúng 👎',
  thanksFeedback: 'Cảm ơn bạn đã đánh giá! Nếu còn thắc mắc, bạn cứ gõ câu hỏi nhé.',
  sorryFeedback: 'Xin lỗi vì câu trả lời chưa đúng điều bạn cần. Bạn có muốn chuyển câu hỏi cho cán bộ hải quan không?',
  ratingQuestion: 'Phiếu hỗ trợ {ticket} đã được giải quyết. Bạn đánh giá mức độ hài lòng với câu trả lời của cán bộ thế nào (1 = rất không hài lòng, 5 = rất hài lòng)?',
  thanksRating: 'Cảm ơn bạn đã đánh giá! Nếu muốn góp ý thêm, bạn hãy nhắn bắt đầu bằng "Góp ý:".',
  thanksComment: 'Cảm ơn góp ý của bạn! Góp ý đã được gửi tới đơn vị.',
  withheld:
    'Câu trả lời có sẵn cho câu hỏi này đang được cập nhật theo quy định mới, nên mình chưa trả lời tự động được. Bạn có muốn chuyển câu hỏi cho cán bộ hải quan không?',
  withheldSuggest: 'Câu trả lời có sẵn gần nhất với câu hỏi của bạn đang được cập nhật theo quy định mới.',
  newsTitle: 'Văn bản pháp luật mới trong danh mục trợ lý theo dõi (tính đến ngày {day}):',
  newsRecent: 'Đã có hiệu lực trong {days} ngày qua:',
  newsUpcoming: 'Sắp có hiệu lực hoặc hết hiệu lực trong {days} ngày tới:',
  newsExpires: ' (hết hiệu lực sau ngày này)',
  newsTopics: 'Liên quan: câu ',
  newsAsk:
    'Bạn muốn hỏi về chủ đề nào? Chọn một câu bên dưới hoặc gõ số thứ tự. Danh mục do đơn vị cập nhật; trước khi áp dụng, hãy đọc văn bản gốc. Muốn được báo khi có văn bản mới, hãy nhắn "đăng ký nhận tin văn bản mới".',
  newsAskFree:
    'Bạn cần hỏi về văn bản nào, hãy gõ câu hỏi. Danh mục do đơn vị cập nhật; trước khi áp dụng, hãy đọc văn bản gốc. Muốn được báo khi có văn bản mới, hãy nhắn "đăng ký nhận tin văn bản mới".',
  newsNone:
    'Trong {days} ngày qua và {days} ngày tới (tính đến ngày {day}), danh mục văn bản mà trợ lý theo dõi không có văn bản nào bắt đầu hoặc hết hiệu lực. Bạn có thể xem văn bản mới tại Cổng thông tin Hải quan: {portal}. Muốn được báo khi có văn bản mới, hãy nhắn "đăng ký nhận tin văn bản mới".',
  legalBasis: 'Căn cứ: ',
  reviewedOn: 'Cập nhật: ',
  links: 'Xem thêm:',
} as const;

export function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}
