// Material for a large invented data set: Vietnamese names weighted roughly as they occur, structurally
// valid CCCD numbers, places and the matters citizens bring, built from parts so that ten years of
// cases do not all read alike (search needs varied words). No real person is described.
import type { SeededRandom } from '../demo/random.js';
import type { CaseType } from '../../server/cases/index.js';

/** Family names, the commonest first; `weightedFamily` favours the head of the list. */
const FAMILY = [
  'Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý',
  'Trương', 'Đinh', 'Lương', 'Mai', 'Cao', 'Đoàn', 'Lâm', 'Tô', 'Hà', 'Tạ', 'Châu', 'Thái', 'Văn', 'Chế', 'Nguyễn Thái', 'Tôn Nữ',
];
const MIDDLE_MALE = ['Văn', 'Văn', 'Văn', 'Hữu', 'Đức', 'Minh', 'Quốc', 'Công', 'Thành', 'Xuân', 'Đình', 'Ngọc', 'Quang', 'Thanh', 'Trọng', 'Anh', 'Gia', 'Tấn', 'Viết', 'Duy'];
const MIDDLE_FEMALE = ['Thị', 'Thị', 'Thị', 'Ngọc', 'Thu', 'Thanh', 'Kim', 'Bích', 'Mỹ', 'Hồng', 'Thúy', 'Diệu', 'Minh', 'Phương', 'Hoài', 'Khánh', 'Cẩm', 'Quỳnh'];
const GIVEN_MALE = [
  'An', 'Bình', 'Cường', 'Dũng', 'Hải', 'Hùng', 'Khải', 'Long', 'Nam', 'Phúc', 'Quang', 'Sơn', 'Trung', 'Tuấn', 'Việt', 'Đạt', 'Hiếu',
  'Lộc', 'Thắng', 'Tài', 'Toàn', 'Vinh', 'Khoa', 'Huy', 'Kiên', 'Lâm', 'Nghĩa', 'Phong', 'Quý', 'Thịnh', 'Tùng', 'Bảo', 'Châu', 'Đông', 'Hòa',
];
const GIVEN_FEMALE = [
  'Hà', 'Hạnh', 'Hòa', 'Hương', 'Lan', 'Mai', 'Nga', 'Tâm', 'Thảo', 'Vân', 'Yến', 'Loan', 'Hằng', 'Trang', 'Nhung', 'Oanh', 'Phượng',
  'Liên', 'Dung', 'Huệ', 'Lệ', 'My', 'Ngân', 'Nhàn', 'Quyên', 'Sương', 'Thoa', 'Thủy', 'Tuyết', 'Uyên', 'Xuân', 'Diễm', 'Giang', 'Linh',
];

export interface InventedPerson {
  name: string;
  female: boolean;
  birthYear: number;
}

/** About four in ten Vietnamese carry the commonest family name; the tail of the list is rarer. */
function weightedFamily(rng: SeededRandom): string {
  const r = rng.next();
  if (r < 0.38) return FAMILY[0]!;
  if (r < 0.68) return FAMILY[1 + Math.floor(rng.next() * 9)]!;
  return rng.pick(FAMILY);
}

export function inventPerson(rng: SeededRandom, untilYear: number): InventedPerson {
  const female = rng.chance(0.46);
  const middle = rng.pick(female ? MIDDLE_FEMALE : MIDDLE_MALE);
  const given = rng.pick(female ? GIVEN_FEMALE : GIVEN_MALE);
  // Filers are adults: born 18 to 85 years before the end of the data set.
  return { name: `${weightedFamily(rng)} ${middle} ${given}`, female, birthYear: untilYear - rng.int(18, 85) };
}

/** Birth-registration provinces: mostly the province itself (Quảng Trị 045, and Quảng Bình 044 merged into it in 2025). */
const PROVINCE_CODES = ['045', '045', '045', '045', '044', '044', '044', '046', '042', '048', '001', '079'];

/**
 * A CCCD with the right structure: province, sex/century digit, year of birth, six digits. Unique
 * within one data set (the people collection has a unique index on it): a clash draws again.
 */
export function inventCitizenId(rng: SeededRandom, person: InventedPerson, taken: Set<string>): string {
  const century = person.birthYear >= 2000 ? 2 : 0;
  const prefix = `${rng.pick(PROVINCE_CODES)}${century + (person.female ? 1 : 0)}${String(person.birthYear % 100).padStart(2, '0')}`;
  for (;;) {
    const id = `${prefix}${String(rng.int(0, 999_999)).padStart(6, '0')}`;
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}

export function inventPhone(rng: SeededRandom): string {
  return `${rng.pick(['090', '091', '093', '094', '097', '098', '032', '035', '038', '077', '083', '086'])}${String(rng.int(0, 9_999_999)).padStart(7, '0')}`;
}

const HAMLETS = ['Thôn 1', 'Thôn 2', 'Thôn 3', 'Thôn 4', 'Thôn 5', 'Thôn Đông', 'Thôn Tây', 'Thôn Trung', 'Thôn An Hưng', 'Thôn Phú Lộc', 'Thôn Tân Định', 'Xóm Bàu', 'Xóm Chợ', 'Khu phố 1', 'Khu phố 4', 'Khu phố 7', 'Tổ dân phố 2', 'Tổ dân phố 9', 'Bản Khe Sanh', 'Bản Cù Bai'];
const STREETS = ['đường Lê Duẩn', 'đường Hùng Vương', 'đường Trần Hưng Đạo', 'đường Quang Trung', 'đường Nguyễn Huệ', 'đường Lý Thường Kiệt', 'đường Hai Bà Trưng'];

export function inventAddress(rng: SeededRandom): string {
  return rng.chance(0.7) ? rng.pick(HAMLETS) : `Số ${rng.int(1, 250)} ${rng.pick(STREETS)}`;
}

const PROJECTS = ['đường ven biển', 'khu công nghiệp Quán Ngang', 'cụm công nghiệp Diên Sanh', 'hồ chứa nước Ái Tử', 'khu tái định cư phía Đông', 'tuyến tránh quốc lộ 1', 'khu đô thị Bắc Thành Cổ', 'trang trại điện gió', 'cầu vượt sông Thạch Hãn', 'khu du lịch Cửa Việt', 'nhà máy xử lý rác', 'bến cảng Mỹ Thủy'];
const BODIES = ['UBND xã', 'UBND huyện', 'Văn phòng đăng ký đất đai', 'Chi cục Thi hành án dân sự', 'Bảo hiểm xã hội huyện', 'Phòng Lao động – Thương binh và Xã hội', 'Ban quản lý dự án', 'Trung tâm phát triển quỹ đất', 'Công an xã', 'Hợp tác xã nông nghiệp'];
const OFFICIALS = ['cán bộ địa chính xã', 'chủ tịch UBND xã', 'trưởng thôn', 'kế toán xã', 'cán bộ tư pháp', 'cán bộ chính sách xã', 'hiệu trưởng trường tiểu học', 'giám đốc hợp tác xã', 'cán bộ thuế', 'trưởng trạm y tế'];
const HARMS = ['gây thiệt hại cho gia đình', 'làm ảnh hưởng đời sống của nhiều hộ dân', 'kéo dài nhiều năm chưa được giải quyết', 'không công khai, minh bạch', 'trái quy định của pháp luật'];

type Template = (rng: SeededRandom) => string;
const parcel = (rng: SeededRandom) => `thửa đất số ${rng.int(1, 980)}, tờ bản đồ số ${rng.int(1, 60)}`;
const money = (rng: SeededRandom) => `${rng.int(12, 950)} triệu đồng`;

/** What each kind of matter says, in parts; the templates mix fixed wording with invented details. */
const MATTERS: Record<CaseType, Template[]> = {
  complaint: [
    (r) => `Khiếu nại quyết định thu hồi ${parcel(r)} để thực hiện dự án ${r.pick(PROJECTS)}, cho rằng diện tích đo đạc không đúng thực tế`,
    (r) => `Khiếu nại mức bồi thường, hỗ trợ ${money(r)} khi Nhà nước thu hồi đất làm ${r.pick(PROJECTS)}, thấp hơn giá thị trường`,
    (r) => `Khiếu nại việc ${r.pick(BODIES)} không cấp giấy chứng nhận quyền sử dụng đất cho ${parcel(r)} đã sử dụng ổn định từ năm ${r.int(1975, 2004)}`,
    (r) => `Khiếu nại quyết định xử phạt vi phạm hành chính ${money(r)} trong lĩnh vực xây dựng, cho rằng ${r.pick(HARMS)}`,
    (r) => `Khiếu nại việc ${r.pick(BODIES)} cắt chế độ trợ cấp từ tháng ${r.int(1, 12)} mà không thông báo lý do`,
    (r) => `Khiếu nại quyết định cưỡng chế tháo dỡ công trình trên ${parcel(r)}`,
  ],
  denunciation: [
    (r) => `Tố cáo ${r.pick(OFFICIALS)} có dấu hiệu nhận tiền khi làm thủ tục cấp giấy chứng nhận cho ${parcel(r)}`,
    (r) => `Tố cáo ${r.pick(OFFICIALS)} lập danh sách hộ nghèo năm ${r.int(2012, 2026)} không đúng đối tượng`,
    (r) => `Tố cáo doanh nghiệp thi công ${r.pick(PROJECTS)} xả thải chưa qua xử lý ra sông, chính quyền buông lỏng quản lý`,
    (r) => `Tố cáo ${r.pick(OFFICIALS)} thu các khoản đóng góp trái quy định, tổng cộng khoảng ${money(r)}`,
    (r) => `Tố cáo ${r.pick(OFFICIALS)} giao đất trái thẩm quyền tại ${parcel(r)}`,
  ],
  petition: [
    (r) => `Kiến nghị xem xét chế độ trợ cấp cho người có công với cách mạng, hồ sơ nộp từ năm ${r.int(2008, 2025)} còn chậm giải quyết`,
    (r) => `Kiến nghị sửa chữa tuyến đường liên thôn dài ${r.int(2, 15)} km bị sạt lở sau mưa lũ`,
    (r) => `Kiến nghị giải quyết dứt điểm tranh chấp ranh giới ${parcel(r)} giữa hai hộ liền kề`,
    (r) => `Kiến nghị xem xét lại việc chi trả bảo hiểm xã hội một lần của ${r.pick(BODIES)}`,
    (r) => `Kiến nghị bố trí tái định cư cho các hộ bị ảnh hưởng bởi dự án ${r.pick(PROJECTS)}`,
    (r) => `Kiến nghị đầu tư hệ thống nước sạch cho ${r.int(40, 600)} hộ dân đang thiếu nước sinh hoạt`,
  ],
  feedback: [
    (r) => `Phản ánh tình trạng khai thác cát trái phép gây sạt lở bờ sông, ${r.pick(HARMS)}`,
    (r) => `Phản ánh trạm y tế xã thiếu thuốc, người dân phải mua ngoài khoảng ${money(r)} mỗi năm`,
    (r) => `Phản ánh tiếng ồn, bụi từ cơ sở sản xuất gạch gần khu dân cư, ${r.pick(HARMS)}`,
    (r) => `Phản ánh việc thi công ${r.pick(PROJECTS)} làm ngập úng ${r.int(2, 40)} ha lúa`,
    (r) => `Phản ánh ${r.pick(BODIES)} chậm trả kết quả thủ tục hành chính quá ${r.int(10, 120)} ngày`,
  ],
};

export function inventMatter(rng: SeededRandom, type: CaseType): string {
  return rng.pick(MATTERS[type])(rng);
}

export const FORWARDING_BODIES = ['Ban Dân nguyện', 'Thanh tra tỉnh', 'UBND tỉnh', 'Ủy ban Kiểm tra Tỉnh ủy', 'Báo Quảng Trị'];

/** Reasons officers write when a move needs one (reopening, closing without an answer). */
export const CLOSING_REASONS = ['Đã giải thích, công dân đồng ý', 'Công dân rút đơn', 'Nội dung đã được giải quyết tại địa phương', 'Đã hướng dẫn công dân đến đúng cơ quan'];
export const REOPENING_REASONS = ['Công dân cung cấp tài liệu mới', 'Cơ quan trả lời chưa đầy đủ', 'Lãnh đạo chỉ đạo xem xét lại'];

/** What the office asks of the agency on the forwarding slip. */
export const REQUESTS = [
  'Đề nghị quý cơ quan xem xét, giải quyết theo thẩm quyền và trả lời cho công dân, đồng thời thông báo kết quả cho Văn phòng.',
  'Chuyển đơn đến quý cơ quan để xem xét, giải quyết theo quy định của pháp luật.',
  'Đề nghị quý cơ quan kiểm tra, xác minh nội dung phản ánh và báo cáo kết quả xử lý.',
];

const ANSWERS: { outcome: 'resolved' | 'partly-resolved' | 'not-accepted' | 'in-progress'; text: string }[] = [
  { outcome: 'resolved', text: 'Cơ quan đã kiểm tra, xác minh và giải quyết dứt điểm nội dung đơn; đã thông báo kết quả cho công dân.' },
  { outcome: 'resolved', text: 'Đã tổ chức đối thoại với công dân và ban hành quyết định giải quyết; công dân thống nhất.' },
  { outcome: 'partly-resolved', text: 'Đã giải quyết một phần nội dung; phần còn lại đang phối hợp với các cơ quan liên quan.' },
  { outcome: 'not-accepted', text: 'Nội dung đơn đã được giải quyết đúng quy định trước đây, không có tình tiết mới nên không thụ lý.' },
  { outcome: 'in-progress', text: 'Đang xác minh thực địa và thu thập tài liệu; sẽ có văn bản trả lời sau khi hoàn thành.' },
];

export function answerText(rng: SeededRandom): (typeof ANSWERS)[number] {
  return rng.pick(ANSWERS);
}
