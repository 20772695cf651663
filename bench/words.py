"""Vietnamese wording the corpus generator draws from (the site's own register)."""

from __future__ import annotations

CATEGORIES: tuple[tuple[str, str], ...] = (
    ("khuyen-cong", "Khuyến công"),
    ("lang-nghe", "Làng nghề"),
    ("ocop", "OCOP"),
    ("nong-thon-moi", "Nông thôn mới"),
    ("doanh-nghiep", "Doanh nghiệp"),
    ("nghe-nhan", "Nghệ nhân"),
    ("du-lich-lang-nghe", "Du lịch làng nghề"),
    ("kinh-te", "Kinh tế"),
    ("van-hoa", "Văn hóa"),
    ("xuc-tien-thuong-mai", "Xúc tiến thương mại"),
)

PROVINCES = (
    "Hải Dương", "Quảng Trị", "Cà Mau", "Đà Nẵng", "Khánh Hòa", "Ninh Bình", "Vĩnh Long",
    "Hà Nội", "Bắc Ninh", "Lạng Sơn", "Sơn La", "An Giang", "Tây Ninh", "Hải Phòng",
    "Thừa Thiên Huế", "Nghệ An", "Thanh Hóa", "Hà Tĩnh", "Quảng Nam", "Bến Tre",
    "Đồng Tháp", "Lâm Đồng", "Phú Thọ", "Thái Bình", "Nam Định", "Hưng Yên", "Bình Định",
)

TOPICS = (
    "Hỗ trợ các cơ sở công nghiệp nông thôn phục hồi sản xuất",
    "Khuyến công tạo đòn bẩy nâng cao năng suất và mở rộng thị trường",
    "Đẩy mạnh khuyến công trong giai đoạn mới",
    "Tăng tốc đổi mới công nghệ nhờ nguồn vốn khuyến công",
    "Nghiệm thu đề án hỗ trợ ứng dụng máy móc tiên tiến",
    "Đưa hàng Việt về nông thôn",
    "Tôn vinh sản phẩm công nghiệp nông thôn tiêu biểu",
    "Đánh thức sức sống mới cho làng nghề và sản phẩm OCOP",
    "Bảo tồn và phát triển làng nghề truyền thống",
    "Nỗ lực duy trì và nâng cao tiêu chí nông thôn mới",
    "Quảng bá, giới thiệu các sản phẩm công nghiệp nông thôn",
    "Phát triển du lịch gắn với làng nghề truyền thống",
    "Nghệ nhân giữ lửa nghề gốm trăm năm",
    "Sản phẩm OCOP vươn ra thị trường quốc tế",
    "Chuyển đổi số cho hợp tác xã và cơ sở sản xuất nhỏ",
    "Mở hướng phát triển mới cho công nghiệp nông thôn",
    "Thẩm định các đề án hỗ trợ kinh phí khuyến công",
    "Hội chợ công thương vùng thu hút đông đảo doanh nghiệp",
    "Làng nghề mây tre đan tìm lối ra cho sản phẩm",
    "Nâng cao chất lượng nguồn nhân lực cho làng nghề",
)

SENTENCES = (
    "Để giúp các cơ sở công nghiệp nông thôn vượt qua những khó khăn, Trung tâm Khuyến công "
    "và Tư vấn phát triển công nghiệp tỉnh {p} đã chú trọng hỗ trợ các cơ sở đầu tư máy móc, "
    "ứng dụng khoa học công nghệ.",
    "Theo báo cáo của Sở Công Thương {p}, trong thời gian qua, công tác khuyến công gặp không "
    "ít khó khăn do đại dịch Covid-19 gây ra.",
    "Bên cạnh đó, các cơ sở cũng gặp nhiều khó khăn do hàng hóa sản xuất ra không tiêu thụ "
    "được, hoặc chậm, tồn kho nhiều do đứt gãy nguồn cung.",
    "Bằng sự nỗ lực cùng với sự quan tâm giúp đỡ từ Bộ Công Thương, các Sở, ban, ngành của "
    "tỉnh {p} đã xây dựng, triển khai và thực hiện tốt công tác khuyến công quốc gia và khuyến "
    "công địa phương.",
    "Chương trình khuyến công quốc gia có {n} đề án hỗ trợ ứng dụng máy móc, thiết bị tiên tiến "
    "trong sản xuất sản phẩm phục vụ tiêu dùng, với tổng kinh phí là {n} tỷ đồng.",
    "Ông Nguyễn Quốc Việt, Giám đốc Trung tâm Khuyến công tỉnh {p} cho biết, năm nay đơn vị "
    "tiến hành khảo sát {n} hợp tác xã, hộ kinh doanh, doanh nghiệp tại {n} huyện, thị xã.",
    "Qua khảo sát cho thấy, đa số các cơ sở đáp ứng các yêu cầu về đăng ký ngành nghề sản xuất, "
    "kinh doanh, diện tích nhà xưởng, máy móc thiết bị, số lượng lao động…",
    "Hầu hết các đơn vị được khảo sát đều có nhu cầu về đầu tư ứng dụng máy móc, thiết bị tiên "
    "tiến và mở rộng sản xuất nhằm thay thế máy móc cũ, công nghệ lạc hậu kém hiệu quả.",
    "Có thể thấy, công tác khuyến công đã đem lại hiệu quả thiết thực tại các cơ sở, doanh "
    "nghiệp, tạo ra những sản phẩm có chất lượng, hiệu quả kinh tế cao.",
    "Sản phẩm đáp ứng nhu cầu thị hiếu người tiêu dùng trong và ngoài nước, góp phần chuyển "
    "dịch cơ cấu kinh tế nông thôn theo hướng hiện đại hóa.",
    "Năm {y}, hoạt động khuyến công của {p} ghi nhận bước chuyển mạnh mẽ, với ưu tiên hàng đầu "
    "là hỗ trợ tiêu thụ, quảng bá sản phẩm làng nghề.",
    "Với hàng loạt hoạt động xúc tiến thương mại, kết nối thị trường và hỗ trợ sáng tạo, các "
    "sản phẩm thủ công mỹ nghệ và OCOP của {p} đang từng bước vươn xa.",
    "Làng nghề có lịch sử hơn {n} năm, hiện có khoảng {n} hộ tham gia sản xuất, tạo việc làm "
    "thường xuyên cho hàng nghìn lao động địa phương.",
    "Theo các nghệ nhân, để làm ra một sản phẩm hoàn chỉnh phải trải qua hàng chục công đoạn, "
    "từ chọn nguyên liệu, tạo dáng, phơi sấy đến hoàn thiện.",
    "Những năm gần đây, nhờ nguồn vốn khuyến công, nhiều cơ sở đã mạnh dạn đầu tư dây chuyền "
    "hiện đại, giảm công lao động, nâng cao năng suất và chất lượng sản phẩm.",
    "Trong bối cảnh doanh nghiệp ngày càng chú trọng sản xuất sạch hơn, nguồn vốn khuyến công "
    "đang trở thành “đòn bẩy” giúp nhiều cơ sở ở {p} đổi mới công nghệ.",
    "Bà Đỗ Thị Minh Trâm, Phó Cục trưởng Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công "
    "đánh giá cao những kết quả mà địa phương đạt được.",
    "Chương trình đã thu hút {n} gian hàng đến từ {n} tỉnh, thành phố, giới thiệu các sản phẩm "
    "công nghiệp nông thôn tiêu biểu, đặc sản vùng miền.",
    "Từ những con đường nội đồng được bê tông hóa bằng sự chung tay của Nhà nước và Nhân dân, "
    "xã đang từng bước hoàn thiện các tiêu chí nông thôn mới.",
    "Việc sắp xếp đơn vị hành chính cấp xã đã đặt ra nhiều thách thức cho công tác xây dựng "
    "nông thôn mới tại {p}.",
    "Tuy nhiên, với cách làm chủ động, linh hoạt, các địa phương đang từng bước giữ vững và "
    "nâng cao các tiêu chí, bảo đảm đời sống người dân.",
    "Để các cơ sở được tiếp cận, ứng dụng khoa học công nghệ, cần mở rộng các đối tượng được "
    "hưởng lợi về chính sách khuyến công.",
    "Tăng cường nguồn kinh phí khuyến công quốc gia, mức hỗ trợ kinh phí cho mỗi đề án nhằm "
    "khuyến khích các cơ sở đầu tư phát triển công nghiệp.",
    "Sản phẩm được công nhận đạt chuẩn OCOP {n} sao, là động lực để cơ sở tiếp tục cải tiến "
    "mẫu mã, bao bì và xây dựng thương hiệu.",
    "Nhiều du khách trong và ngoài nước đã tìm đến làng nghề để trải nghiệm, tự tay làm ra "
    "những sản phẩm thủ công mang đậm bản sắc văn hóa.",
)

CAPTIONS = (
    "Máy móc hiện đại giúp cơ sở nâng cao năng suất lao động",
    "Sản phẩm OCOP được trưng bày tại hội chợ",
    "Nghệ nhân làng nghề say sưa bên sản phẩm",
    "Quang cảnh hội nghị tổng kết công tác khuyến công",
    "Các đại biểu tham quan gian hàng sản phẩm công nghiệp nông thôn",
    "Dây chuyền sản xuất được đầu tư từ nguồn vốn khuyến công",
)

AUTHORS = (
    "Công Du", "Thu Hà", "Quang Minh", "Minh Anh", "Hoàng Long", "Ngọc Lan", "Văn Tuấn",
    "Thanh Bình", "Hải Yến", "Đức Thắng",
)

BYLINE_ROLES = ("Bài, ảnh:", "Bài và ảnh:", "Bài:", "Tin, ảnh:")

SOURCE_TAGS = ("LNV", "LNV", "LNV", "LNV", "OVN", "TBV")

TAGS = (
    "khuyến công", "công nghiệp nông thôn", "OCOP", "làng nghề", "nông thôn mới",
    "thủ công mỹ nghệ", "xúc tiến thương mại", "nghệ nhân", "du lịch", "chuyển đổi số",
)

WEATHER = (("Hà Nội", 21), ("Đà Nẵng", 24), ("TP Hồ Chí Minh", 31), ("Thừa Thiên Huế", 23))
