// Material for realistic Vietnamese demo data: common family, middle and given names, and matters
// citizens typically raise, by field. Invented people; no real person is described.
import type { SeededRandom } from './random.js';

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Trương', 'Đinh', 'Lương', 'Mai'];
const MIDDLE_MALE = ['Văn', 'Hữu', 'Đức', 'Minh', 'Quốc', 'Công', 'Thành', 'Xuân', 'Đình'];
const MIDDLE_FEMALE = ['Thị', 'Ngọc', 'Thu', 'Thanh', 'Kim', 'Bích', 'Mỹ', 'Hồng'];
const GIVEN_MALE = ['An', 'Bình', 'Cường', 'Dũng', 'Hải', 'Hùng', 'Khải', 'Long', 'Nam', 'Phúc', 'Quang', 'Sơn', 'Trung', 'Tuấn', 'Việt', 'Đạt', 'Hiếu', 'Lộc', 'Thắng', 'Tài'];
const GIVEN_FEMALE = ['Hà', 'Hạnh', 'Hòa', 'Hương', 'Lan', 'Mai', 'Nga', 'Tâm', 'Thảo', 'Vân', 'Yến', 'Loan', 'Hằng', 'Trang', 'Nhung', 'Oanh', 'Phượng', 'Liên'];

export function vietnameseName(rng: SeededRandom): { name: string; female: boolean } {
  const female = rng.chance(0.45);
  const middle = rng.pick(female ? MIDDLE_FEMALE : MIDDLE_MALE);
  const given = rng.pick(female ? GIVEN_FEMALE : GIVEN_MALE);
  return { name: `${rng.pick(FAMILY)} ${middle} ${given}`, female };
}

/** A structurally valid CCCD: province 045 (Quảng Trị's old code), sex/century digit, birth year, 6 digits. */
export function citizenId(rng: SeededRandom, female: boolean): string {
  const year = rng.int(1945, 2005);
  const centuryDigit = (year >= 2000 ? 2 : 0) + (female ? 1 : 0);
  return `045${centuryDigit}${String(year % 100).padStart(2, '0')}${String(rng.int(0, 999_999)).padStart(6, '0')}`;
}

export const MATTERS: { type: 'complaint' | 'denunciation' | 'petition' | 'feedback'; text: string }[] = [
  { type: 'complaint', text: 'Khiếu nại quyết định thu hồi đất nông nghiệp, cho rằng diện tích đo đạc không đúng thực tế' },
  { type: 'complaint', text: 'Khiếu nại mức bồi thường, hỗ trợ khi Nhà nước thu hồi đất làm đường giao thông' },
  { type: 'complaint', text: 'Khiếu nại việc UBND xã không cấp giấy chứng nhận quyền sử dụng đất cho thửa đất đã sử dụng ổn định' },
  { type: 'complaint', text: 'Khiếu nại quyết định xử phạt vi phạm hành chính trong lĩnh vực xây dựng' },
  { type: 'denunciation', text: 'Tố cáo cán bộ địa chính xã có dấu hiệu nhận tiền khi làm thủ tục cấp sổ đỏ' },
  { type: 'denunciation', text: 'Tố cáo trưởng thôn lập danh sách hộ nghèo không đúng đối tượng' },
  { type: 'denunciation', text: 'Tố cáo doanh nghiệp xả thải chưa qua xử lý ra sông, chính quyền địa phương buông lỏng quản lý' },
  { type: 'petition', text: 'Kiến nghị xem xét chế độ trợ cấp cho người có công với cách mạng còn chậm giải quyết' },
  { type: 'petition', text: 'Kiến nghị sửa chữa tuyến đường liên thôn bị sạt lở sau mưa lũ' },
  { type: 'petition', text: 'Kiến nghị giải quyết dứt điểm tranh chấp ranh giới đất giữa hai hộ liền kề' },
  { type: 'petition', text: 'Kiến nghị xem xét lại việc chi trả bảo hiểm xã hội một lần' },
  { type: 'feedback', text: 'Phản ánh tình trạng khai thác cát trái phép gây sạt lở bờ sông' },
  { type: 'feedback', text: 'Phản ánh trạm y tế xã thiếu thuốc, người dân phải mua ngoài' },
  { type: 'feedback', text: 'Phản ánh tiếng ồn, bụi từ cơ sở sản xuất gạch gần khu dân cư' },
];

export const STREETS = ['Thôn 1', 'Thôn 2', 'Thôn 3', 'Thôn Đông', 'Thôn Tây', 'Khu phố 4', 'Khu phố 7', 'Tổ dân phố 2', 'Xóm Bàu', 'Thôn An Hưng'];
