"""The subject codes tests use: valid 统一社会信用代码 and a resident ID (GB 11643 example)."""

COMPANY = "91350100M000100Y43"  # 泉州市清源食品有限公司
OTHER = "91350200MA2Y4G5U0E"  # 厦门海沧建材贸易有限公司
PERSON = "11010519491231002X"  # 张三
PERSON_MASKED = "1101**********002X"
