# ruff: noqa: E501 - the demo texts are prose, kept on one line each
"""Demo data for fact check: topics, COVID-19 rumours that circulated in Indonesia with
their verdicts and sources, reports from around Bali, and trusted articles.

Idempotent: running it twice changes nothing (rows are looked up by their text or slug).
"""

from __future__ import annotations

import io
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from onedata.core.models import Agency, Membership, Region, User
from onedata.core.roles import Role
from onedata.factcheck import services
from onedata.factcheck.models import Article, Claim, Report, Review, Topic

TOPICS = [
    ("covid-19", "COVID-19", "COVID-19"),
    ("vaksinasi", "Vaksinasi", "Vaccination"),
    ("oksigen-rumah-sakit", "Oksigen dan rumah sakit", "Oxygen and hospitals"),
    ("obat-pengobatan", "Obat dan pengobatan", "Medicines and treatment"),
    ("layanan-publik", "Layanan publik", "Public services"),
]

WHO = (
    "WHO: Mythbusters",
    "https://www.who.int/emergencies/diseases/novel-coronavirus-2019/advice-for-public/myth-busters",
)
SATGAS = ("Satgas Penanganan COVID-19", "https://covid19.go.id/")
TURNBACK = ("MAFINDO: turnbackhoax.id", "https://turnbackhoax.id/")
KOMINFO = ("Kementerian Kominfo: Hoaks", "https://www.kominfo.go.id/")
DINKES = ("Dinas Kesehatan Provinsi Bali", "https://diskes.baliprov.go.id/")
DISKOMINFOS = ("Diskominfos Provinsi Bali", "https://diskominfos.baliprov.go.id/")
MUI = ("Majelis Ulama Indonesia", "https://mui.or.id/")
BPOM = ("Badan POM", "https://www.pom.go.id/")

# (topic, claim, claim in English, verdict, summary, summary in English, explanation, sources)
CLAIMS = [
    (
        "vaksinasi",
        "Vaksin COVID-19 mengandung microchip untuk melacak dan mengendalikan penduduk",
        "COVID-19 vaccines contain microchips to track and control people",
        "HOAKS",
        "Vaksin tidak berisi microchip. Isi vaksin tercantum dan diuji BPOM; chip pelacak tidak muat dalam jarum suntik dan butuh sumber daya.",
        "Vaccines contain no microchip; their contents are listed and tested by BPOM.",
        "Komposisi vaksin COVID-19 yang dipakai di Indonesia terdaftar di BPOM: antigen, garam, gula dan zat penstabil. Tidak ada alat elektronik yang bisa melewati jarum suntik ukuran vaksin dan bekerja tanpa baterai atau antena. Klaim ini berasal dari video luar negeri yang sudah dibantah berulang kali.",
        [WHO, BPOM, TURNBACK],
    ),
    (
        "covid-19",
        "Jaringan 5G menyebarkan virus corona dan menyebabkan COVID-19",
        "5G networks spread the coronavirus",
        "HOAKS",
        "Virus tidak bisa menumpang gelombang radio. COVID-19 juga menyebar di negara yang belum punya jaringan 5G.",
        "Viruses cannot travel on radio waves; COVID-19 spread where there is no 5G.",
        "Virus corona menular lewat percikan dan udara dari orang yang terinfeksi. Gelombang radio, termasuk 5G, tidak membawa virus. Banyak daerah tanpa 5G mengalami wabah besar.",
        [WHO, KOMINFO],
    ),
    (
        "obat-pengobatan",
        "Minum air kelapa dicampur garam dan jeruk nipis bisa menyembuhkan COVID-19",
        "Coconut water with salt and lime cures COVID-19",
        "SALAH",
        "Air kelapa menyegarkan tetapi tidak membunuh virus. Belum ada minuman yang terbukti menyembuhkan COVID-19.",
        "Coconut water does not kill the virus; no drink cures COVID-19.",
        "Tidak ada penelitian yang menunjukkan air kelapa, garam atau jeruk nipis menyembuhkan COVID-19. Minum cukup cairan baik saat sakit, tetapi pasien bergejala berat harus segera ke fasilitas kesehatan.",
        [WHO, SATGAS],
    ),
    (
        "oksigen-rumah-sakit",
        "Menyimpan tabung oksigen di rumah bisa mencegah tertular COVID-19",
        "Keeping an oxygen cylinder at home prevents COVID-19",
        "MENYESATKAN",
        "Oksigen tidak mencegah penularan. Tabung oksigen dipakai atas saran tenaga kesehatan; menimbunnya membuat rumah sakit kekurangan.",
        "Oxygen does not prevent infection; hoarding cylinders deprives hospitals.",
        "Terapi oksigen menolong pasien yang kadar oksigennya turun, atas pengawasan tenaga kesehatan. Menghirup oksigen tanpa indikasi tidak mencegah infeksi, dan tabung di rumah berisiko terbakar.",
        [DINKES, SATGAS],
    ),
    (
        "oksigen-rumah-sakit",
        "Stok oksigen di RSUP Sanglah habis dan pasien COVID dibiarkan meninggal",
        "Sanglah hospital has run out of oxygen and patients are left to die",
        "HOAKS",
        "Dinkes Bali memastikan pasokan oksigen RSUP Sanglah tersedia dan dipantau setiap hari.",
        "The Bali Health Office confirmed Sanglah's oxygen supply is available and monitored daily.",
        "Pesan berantai ini memakai foto dari daerah lain. Dinas Kesehatan Provinsi Bali memantau stok oksigen setiap rumah sakit setiap hari dan memastikan RSUP Sanglah menerima pasokan rutin.",
        [DINKES, DISKOMINFOS],
    ),
    (
        "vaksinasi",
        "Vaksin COVID-19 menyebabkan kemandulan pada perempuan dan laki-laki",
        "COVID-19 vaccines cause infertility",
        "HOAKS",
        "Tidak ada bukti vaksin COVID-19 menyebabkan mandul. Ibu hamil dan yang merencanakan kehamilan dianjurkan divaksin.",
        "There is no evidence COVID-19 vaccines cause infertility.",
        "Penelitian pada jutaan penerima vaksin tidak menemukan gangguan kesuburan. Justru infeksi COVID-19 berat berisiko bagi ibu hamil.",
        [WHO, SATGAS],
    ),
    (
        "vaksinasi",
        "Vaksin COVID-19 jenis mRNA mengubah DNA manusia",
        "mRNA COVID-19 vaccines change human DNA",
        "SALAH",
        "mRNA tidak masuk ke inti sel tempat DNA berada dan terurai dalam beberapa hari.",
        "mRNA never enters the cell nucleus where DNA is, and breaks down within days.",
        "Vaksin mRNA memberi petunjuk kepada sel untuk membuat protein spike agar tubuh membentuk kekebalan. mRNA tidak bisa mengubah DNA.",
        [WHO],
    ),
    (
        "obat-pengobatan",
        "Berkumur dengan air garam hangat membunuh virus corona di tenggorokan",
        "Gargling warm salt water kills the coronavirus in the throat",
        "SALAH",
        "Berkumur air garam bisa meredakan sakit tenggorokan, tetapi tidak membunuh virus corona.",
        "Salt-water gargles may soothe a sore throat but do not kill the virus.",
        "Virus corona menginfeksi saluran napas dan paru-paru, bukan hanya tenggorokan. Tidak ada bukti berkumur air garam mencegah atau menyembuhkan COVID-19.",
        [WHO],
    ),
    (
        "obat-pengobatan",
        "Makan bawang putih mentah setiap hari mencegah infeksi virus corona",
        "Eating raw garlic every day prevents coronavirus infection",
        "MISINFORMASI",
        "Bawang putih makanan sehat, tetapi tidak terbukti melindungi dari COVID-19.",
        "Garlic is healthy food but does not protect against COVID-19.",
        "WHO menyatakan tidak ada bukti bawang putih melindungi dari virus corona. Pesan ini sering dibagikan dengan niat baik.",
        [WHO],
    ),
    (
        "covid-19",
        "Berjemur di bawah sinar matahari jam 10 pagi membunuh virus corona",
        "Sunbathing at 10 am kills the coronavirus",
        "MENYESATKAN",
        "Sinar matahari membantu tubuh membuat vitamin D, tetapi tidak membunuh virus di dalam tubuh.",
        "Sunlight helps make vitamin D but does not kill the virus inside the body.",
        "Orang tetap bisa tertular COVID-19 di cuaca cerah dan panas. Berjemur terlalu lama juga berisiko bagi kulit.",
        [WHO],
    ),
    (
        "covid-19",
        "Memakai masker terlalu lama menyebabkan keracunan karbon dioksida dan kekurangan oksigen",
        "Wearing a mask for long causes carbon dioxide poisoning",
        "SALAH",
        "Masker yang dipakai dengan benar tidak menyebabkan keracunan karbon dioksida atau kekurangan oksigen.",
        "Properly worn masks do not cause CO2 poisoning or low oxygen.",
        "Molekul oksigen dan karbon dioksida jauh lebih kecil dari pori masker. Tenaga kesehatan memakai masker berjam-jam setiap hari.",
        [WHO],
    ),
    (
        "layanan-publik",
        "Pemerintah Provinsi Bali menutup semua pantai dan melarang upacara adat mulai besok",
        "Bali's government closes all beaches and bans customary ceremonies from tomorrow",
        "DISINFORMASI",
        "Tidak ada keputusan seperti itu. Surat edaran resmi hanya diumumkan lewat kanal Pemprov Bali.",
        "No such decision exists; official circulars are published only on the province's channels.",
        "Pesan ini memakai kop surat palsu. Pembatasan kegiatan masyarakat diumumkan melalui surat edaran Gubernur di laman resmi Pemprov Bali dan akun Diskominfos.",
        [DISKOMINFOS, KOMINFO],
    ),
    (
        "oksigen-rumah-sakit",
        "Pasien yang meninggal di rumah sakit dicovidkan agar rumah sakit mendapat uang dari pemerintah",
        "Hospitals label deaths as COVID to get government money",
        "DISINFORMASI",
        "Status COVID-19 ditetapkan dari hasil tes PCR dan diaudit; klaim biaya diverifikasi BPJS Kesehatan.",
        "COVID-19 status comes from PCR tests and is audited; claims are verified by BPJS.",
        "Klaim biaya perawatan pasien COVID-19 diperiksa berlapis oleh BPJS Kesehatan dan Kementerian Kesehatan, dengan hasil laboratorium. Rumah sakit yang memalsukan data dikenai sanksi.",
        [SATGAS, DINKES],
    ),
    (
        "vaksinasi",
        "Vaksin Sinovac mengandung babi sehingga haram",
        "The Sinovac vaccine contains pork and is forbidden for Muslims",
        "SALAH",
        "MUI menetapkan vaksin Sinovac suci dan halal; tidak ada bahan dari babi.",
        "MUI declared Sinovac halal; it contains no pork.",
        "Fatwa MUI Nomor 2 Tahun 2021 menyatakan vaksin COVID-19 produksi Sinovac suci dan halal setelah audit bahan dan proses produksinya.",
        [MUI, BPOM],
    ),
    (
        "vaksinasi",
        "Orang yang sudah divaksin tidak perlu lagi memakai masker",
        "Vaccinated people no longer need masks",
        "MENYESATKAN",
        "Vaksin mengurangi risiko sakit berat, tetapi orang yang sudah divaksin masih bisa tertular dan menularkan.",
        "Vaccines reduce severe illness, but vaccinated people can still catch and pass on the virus.",
        "Selama penularan masih tinggi, masker tetap dianjurkan di tempat ramai dan tertutup, juga bagi yang sudah divaksin lengkap.",
        [SATGAS],
    ),
    (
        "obat-pengobatan",
        "Ivermectin obat cacing terbukti menyembuhkan COVID-19",
        "Ivermectin, a worm medicine, is proven to cure COVID-19",
        "MISINFORMASI",
        "Ivermectin masih diuji dan tidak boleh diminum tanpa resep dokter; BPOM belum menyetujuinya untuk COVID-19.",
        "Ivermectin is not approved for COVID-19 and must not be taken without a prescription.",
        "BPOM hanya memberi izin uji klinis ivermectin untuk COVID-19. Penggunaan tanpa pengawasan dokter berisiko efek samping.",
        [BPOM],
    ),
    (
        "covid-19",
        "Menyemprot tubuh dengan disinfektan atau alkohol membunuh virus corona",
        "Spraying disinfectant or alcohol on the body kills the coronavirus",
        "SALAH",
        "Disinfektan untuk permukaan benda, bukan tubuh; menyemprotkannya ke tubuh melukai kulit, mata dan saluran napas.",
        "Disinfectants are for surfaces, not bodies, and harm skin, eyes and lungs.",
        "Virus yang sudah masuk ke tubuh tidak terpengaruh semprotan di kulit. Cuci tangan dengan sabun tetap cara yang dianjurkan.",
        [WHO],
    ),
    (
        "vaksinasi",
        "Vaksin booster gratis di puskesmas untuk warga Bali yang membawa KTP",
        "Free booster shots at community health centres for Bali residents with an ID card",
        "BENAR",
        "Vaksin booster diberikan gratis di puskesmas dan sentra vaksinasi; bawa KTP atau NIK.",
        "Booster shots are free at health centres; bring your ID card or NIK.",
        "Dinas Kesehatan Provinsi Bali membuka layanan vaksin dosis lanjutan tanpa biaya di puskesmas. Cek jadwal di puskesmas terdekat.",
        [DINKES],
    ),
    (
        "covid-19",
        "Tes swab PCR merusak otak karena alatnya menembus sampai ke otak",
        "The PCR swab test damages the brain",
        "HOAKS",
        "Swab nasofaring mengambil lendir di belakang hidung dan tidak bisa menembus otak.",
        "A nasopharyngeal swab samples mucus behind the nose and cannot reach the brain.",
        "Rongga hidung dan otak dipisahkan tulang dasar tengkorak. Tes dilakukan tenaga kesehatan terlatih dan aman.",
        [SATGAS],
    ),
    (
        "covid-19",
        "Minum air hangat setiap 15 menit membunuh virus corona di tenggorokan",
        "Drinking warm water every 15 minutes kills the coronavirus",
        "HOAKS",
        "Minum air hangat tidak membunuh virus corona; virus tidak 'dicuci' ke lambung.",
        "Warm water does not kill the coronavirus.",
        "Pesan berantai yang mengaku dari dokter Jepang ini sudah dibantah. Minum cukup air baik untuk kesehatan, tetapi bukan pencegah COVID-19.",
        [TURNBACK, WHO],
    ),
    (
        "obat-pengobatan",
        "Antibiotik bisa mencegah dan menyembuhkan COVID-19",
        "Antibiotics prevent and cure COVID-19",
        "SALAH",
        "Antibiotik membunuh bakteri, bukan virus; minum tanpa resep mempercepat kekebalan bakteri.",
        "Antibiotics kill bacteria, not viruses.",
        "COVID-19 disebabkan virus. Dokter kadang memberi antibiotik untuk infeksi bakteri yang menyertai, bukan untuk virusnya.",
        [WHO],
    ),
    (
        "vaksinasi",
        "Semua penerima vaksin COVID-19 akan meninggal dalam dua tahun",
        "Everyone who got a COVID-19 vaccine will die within two years",
        "HOAKS",
        "Kutipan ini dipalsukan dan atas nama ilmuwan yang tidak pernah mengatakannya; miliaran orang sudah divaksin dengan aman.",
        "The quote is fabricated; billions have been vaccinated safely.",
        "Pesan ini mencatut nama peraih Nobel. Pemantauan keamanan vaksin di seluruh dunia tidak menemukan hal seperti itu.",
        [TURNBACK, KOMINFO],
    ),
    (
        "covid-19",
        "Virus corona tidak bisa hidup di daerah beriklim panas seperti Bali",
        "The coronavirus cannot survive in hot climates like Bali",
        "SALAH",
        "COVID-19 menular di semua iklim, termasuk daerah tropis yang panas dan lembap.",
        "COVID-19 spreads in every climate, including the hot tropics.",
        "Indonesia dan negara tropis lain mengalami gelombang besar COVID-19. Cuaca panas tidak melindungi.",
        [WHO],
    ),
    (
        "layanan-publik",
        "Bantuan sosial tunai Rp600 ribu cair lewat link pendaftaran yang dibagikan di WhatsApp",
        "Cash aid of Rp600,000 is paid through a registration link shared on WhatsApp",
        "HOAKS",
        "Tautan itu penipuan untuk mencuri data pribadi. Bansos resmi tidak mendaftar lewat tautan berantai.",
        "The link is a scam to steal personal data.",
        "Pendaftaran bantuan sosial dilakukan melalui desa/kelurahan dan laman resmi Kementerian Sosial. Jangan isi data KTP dan rekening di tautan tidak resmi.",
        [KOMINFO, DISKOMINFOS],
    ),
    (
        "obat-pengobatan",
        "Minum arak Bali atau alkohol membunuh virus corona di dalam tubuh",
        "Drinking Balinese arak or alcohol kills the coronavirus in the body",
        "SALAH",
        "Minuman beralkohol tidak membunuh virus dan justru melemahkan daya tahan tubuh.",
        "Alcoholic drinks do not kill the virus and weaken the immune system.",
        "Alkohol pada hand sanitizer bekerja di permukaan kulit. Meminumnya tidak melindungi dari COVID-19 dan berbahaya, terutama arak oplosan.",
        [WHO, BPOM],
    ),
    (
        "obat-pengobatan",
        "Kalung kayu putih eucalyptus bisa menangkal virus corona",
        "A eucalyptus necklace wards off the coronavirus",
        "MENYESATKAN",
        "Kalung aromaterapi bukan obat atau vaksin; uji laboratorium awal belum membuktikan khasiat pada manusia.",
        "Aromatherapy necklaces are not medicine; no proof they protect people.",
        "Kementerian Pertanian menyebut produk ini jamu/aromaterapi, bukan antivirus yang teruji pada manusia. Tetap pakai masker dan vaksin.",
        [BPOM],
    ),
    (
        "oksigen-rumah-sakit",
        "Rumah sakit di Bali menolak semua pasien umum karena penuh pasien COVID",
        "Bali hospitals refuse all other patients because they are full of COVID patients",
        "KLARIFIKASI",
        "Layanan gawat darurat tetap buka; sebagian poli dijadwal ulang saat puncak kasus. Cek tempat tidur tersedia sebelum datang.",
        "Emergency departments stay open; some outpatient clinics were rescheduled at the peak.",
        "Saat puncak kasus, beberapa rumah sakit memisahkan layanan COVID-19 dan menjadwal ulang poli. Pasien gawat darurat tetap dilayani. Informasi tempat tidur tersedia diperbarui setiap hari.",
        [DINKES],
    ),
    (
        "covid-19",
        "Hand sanitizer yang ditinggal di mobil bisa meledak karena panas",
        "Hand sanitiser left in a car can explode from the heat",
        "HOAKS",
        "Suhu dalam mobil tidak cukup untuk menyulut hand sanitizer dengan sendirinya.",
        "Car cabin heat cannot ignite hand sanitiser by itself.",
        "Titik nyala alkohol memang rendah, tetapi butuh api atau percikan untuk terbakar. Simpan tetap jauh dari api.",
        [TURNBACK],
    ),
    (
        "obat-pengobatan",
        "Vitamin C dosis tinggi menyembuhkan COVID-19",
        "High-dose vitamin C cures COVID-19",
        "MISINFORMASI",
        "Vitamin C menjaga daya tahan tubuh, tetapi dosis tinggi tidak menyembuhkan COVID-19.",
        "Vitamin C supports immunity but high doses do not cure COVID-19.",
        "Dosis berlebihan dapat mengganggu ginjal. Ikuti anjuran dokter.",
        [BPOM, WHO],
    ),
    (
        "covid-19",
        "Anak-anak kebal terhadap virus corona sehingga tidak bisa tertular",
        "Children are immune to the coronavirus",
        "SALAH",
        "Anak bisa tertular dan menularkan COVID-19, meski lebih jarang sakit berat.",
        "Children can catch and spread COVID-19.",
        "Data kasus di Indonesia mencatat ribuan anak terinfeksi. Anak usia sekolah dianjurkan divaksin.",
        [SATGAS],
    ),
]

ARTICLES = [
    (
        "dinkes-bali",
        "vaksinasi",
        "Cara mendapatkan vaksin booster di Bali",
        "How to get a booster shot in Bali",
        "Vaksin dosis lanjutan gratis di puskesmas dan sentra vaksinasi. Bawa KTP.",
        "Booster shots are free at health centres and vaccination centres. Bring your ID card.",
        "Vaksin dosis lanjutan (booster) diberikan gratis untuk warga berusia 18 tahun ke atas yang sudah menerima dosis kedua minimal enam bulan sebelumnya.\n\nDatang ke puskesmas terdekat atau sentra vaksinasi dengan membawa KTP. Petugas akan memeriksa kesehatan Anda sebelum vaksin diberikan.\n\nSetelah divaksin, tunggu 30 menit di lokasi untuk pemantauan.",
        "Booster doses are free for residents aged 18 and over whose second dose was at least six months ago.\n\nGo to the nearest community health centre or vaccination centre with your ID card. Staff check your health before the shot.\n\nAfter the shot, wait 30 minutes on site for observation.",
        [DINKES, SATGAS],
    ),
    (
        "dinkes-bali",
        "covid-19",
        "Kapan pasien isolasi mandiri harus ke rumah sakit",
        "When people isolating at home must go to hospital",
        "Segera ke rumah sakit bila sesak napas, saturasi oksigen di bawah 94 persen, atau nyeri dada.",
        "Go to hospital at once with shortness of breath, oxygen saturation below 94 percent or chest pain.",
        "Sebagian besar pasien COVID-19 bergejala ringan dan bisa isolasi mandiri di rumah. Ukur saturasi oksigen dengan oksimeter dua kali sehari.\n\nSegera hubungi puskesmas atau datang ke IGD bila: sesak napas, saturasi di bawah 94 persen, nyeri dada, bibir kebiruan, atau sulit bangun.\n\nJangan membeli dan menyimpan tabung oksigen tanpa saran tenaga kesehatan.",
        "Most COVID-19 patients have mild symptoms and can isolate at home. Measure oxygen saturation twice a day.\n\nCall the health centre or go to the emergency department at once with: shortness of breath, saturation below 94 percent, chest pain, bluish lips, or difficulty waking.\n\nDo not buy and keep oxygen cylinders without medical advice.",
        [DINKES, WHO],
    ),
    (
        "diskominfos",
        "layanan-publik",
        "Kenali ciri pesan hoaks di WhatsApp",
        "How to spot a hoax message on WhatsApp",
        "Judul heboh, minta disebarkan, tanpa sumber jelas: cek dulu sebelum membagikan.",
        "Sensational headline, asks to be forwarded, no clear source: check before you share.",
        "Pesan hoaks sering memakai huruf kapital dan tanda seru, mengaku dari dokter atau pejabat tanpa nama jelas, dan meminta Anda menyebarkan secepatnya.\n\nSebelum membagikan: cari sumber resmi, tempel pesan di halaman Cek Fakta ini, dan tanyakan kepada petugas kesehatan.\n\nMenyebarkan hoaks dapat dijerat UU ITE.",
        "Hoax messages often use capitals and exclamation marks, claim to come from an unnamed doctor or official, and ask you to forward them quickly.\n\nBefore sharing: look for an official source, paste the message on this Fact check page, and ask a health worker.\n\nSpreading hoaxes can be prosecuted under the ITE Law.",
        [DISKOMINFOS, KOMINFO],
    ),
    (
        "dinkes-bali",
        "oksigen-rumah-sakit",
        "Ketersediaan oksigen di rumah sakit Bali dipantau setiap hari",
        "Oxygen at Bali's hospitals is monitored every day",
        "Rumah sakit melaporkan stok oksigen setiap hari; Dinkes mengatur pengiriman bila stok menipis.",
        "Hospitals report their oxygen stock daily; the health office arranges deliveries when stock runs low.",
        "Setiap rumah sakit rujukan COVID-19 di Bali melaporkan stok oksigen, pemakaian, dan pasien setiap hari. Dinas Kesehatan menghitung perkiraan sisa waktu dan mengatur pengiriman dari pemasok.\n\nWarga tidak perlu menimbun tabung oksigen di rumah.",
        "Every COVID-19 referral hospital in Bali reports oxygen stock, use and patients every day. The health office estimates the hours left and arranges deliveries from suppliers.\n\nResidents need not hoard oxygen cylinders at home.",
        [DINKES],
    ),
]

# (claim index, channel, regency code, days ago) for the weekly report and the desk queue.
REPORTS = [
    (0, "whatsapp", "51.71", 2),
    (0, "whatsapp", "51.03", 3),
    (0, "facebook", "51.04", 9),
    (1, "whatsapp", "51.08", 12),
    (4, "whatsapp", "51.71", 1),
    (4, "whatsapp", "51.03", 1),
    (4, "facebook", "51.71", 4),
    (4, "village", "51.04", 6),
    (11, "whatsapp", "51.02", 5),
    (23, "whatsapp", "51.06", 3),
    (23, "sms", "51.05", 8),
]
UNCHECKED = [
    (
        "Air rebusan daun sirih dan jahe diminum tiga kali sehari bisa menyembuhkan varian Omicron",
        "whatsapp",
        "51.07",
        1,
    ),
    ("Air rebusan daun sirih dan jahe bisa sembuhkan omicron dalam 3 hari", "whatsapp", "51.71", 0),
    ("Sekolah di Denpasar ditutup lagi minggu depan karena kasus covid naik", "school", "51.71", 2),
]


# Regency desks: communication officers of a regency see and handle its reports only.
REGENCY_DESKS = [
    ("cekfakta.badung", "Pemeriksa Fakta Badung", "pemkab-badung"),
    ("cekfakta.gianyar", "Pemeriksa Fakta Gianyar", "pemkab-gianyar"),
]
# A report sent with a screenshot, from Badung (on the Badung desk, not on Gianyar's).
SCREENSHOT_REPORT = (
    "Beredar foto surat: mulai Senin semua pasien BPJS yang positif covid ditolak di RS "
    "daerah Badung dan harus bayar sendiri",
    "facebook",
    "51.03",
)


def _demo_screenshot() -> bytes:
    """A small picture of a forwarded message, drawn here (nothing is downloaded)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (360, 240), (236, 229, 221))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((16, 24, 344, 200), radius=12, fill=(220, 248, 198))
    lines = [
        "Diteruskan",
        "SURAT EDARAN (?)",
        "Pasien BPJS positif covid",
        "ditolak di RS Badung",
        "mulai Senin. Sebarkan!",
    ]
    for number, line in enumerate(lines):
        draw.text((32, 40 + 30 * number), line, fill=(17, 27, 33))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def seed_regency_desks() -> list[tuple[str, str, str]]:
    from onedata.core.demo import DEMO_PASSWORD

    logins = []
    for username, name, agency_slug in REGENCY_DESKS:
        agency = Agency.objects.filter(slug=agency_slug).first()
        if agency is None:
            continue
        user, created = User.objects.get_or_create(
            username=username, defaults={"name": name, "email": f"{username}@demo.onedata.local"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.get_or_create(user=user, agency=agency, role=Role.FACT_CHECKER)
        logins.append((username, name, agency.short_name or agency.name))
    return logins


def _topic(slug: str) -> Topic:
    return Topic.objects.get(slug=slug)


def _sources(pairs) -> list[dict]:
    return [{"title": title, "url": url} for title, url in pairs]


def seed_topics() -> None:
    for position, (slug, name, name_en) in enumerate(TOPICS):
        Topic.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "position": position}
        )


def seed_claims(reviewer, *, claims=CLAIMS) -> list[Claim]:
    """The checked claims with published reviews (tests and the benchmark use it too)."""
    seed_topics()
    made = []
    for topic, text, text_en, verdict, summary, summary_en, explanation, sources in claims:
        claim = Claim.objects.filter(text=text).first()
        if claim is None:
            claim = services.claim_create(
                actor=reviewer, text=text, text_en=text_en, topic=_topic(topic)
            )
            services.review_save(
                actor=reviewer,
                claim=claim,
                verdict=verdict,
                summary=summary,
                summary_en=summary_en,
                explanation=explanation,
                sources=_sources(sources),
            )
            services.review_publish(actor=reviewer, claim=claim)
        made.append(claim)
    return made


@transaction.atomic
def seed(stdout=None) -> None:
    reviewer = User.objects.get(username="cekfakta")
    claims = seed_claims(reviewer)
    first_run = not Report.objects.exists()
    if first_run:
        now = timezone.now()
        citizen = User.objects.filter(username="warga").first()
        for index, channel, regency, days in REPORTS:
            claim = claims[index]
            report = Report.objects.create(
                claim=claim,
                text=claim.text,
                channel=channel,
                regency=Region.objects.filter(code=regency).first(),
                reporter=citizen,
                wants_verdict=False,
            )
            reported = now - timedelta(days=days, hours=3 * index)
            Report.objects.filter(pk=report.pk).update(created_at=reported)
            Claim.objects.filter(pk=claim.pk).update(report_count=claim.reports.count())
        # The demo's verdicts came some hours after each rumour was first reported.
        for index in sorted({index for index, *_rest in REPORTS}):
            claim = claims[index]
            first = claim.reports.order_by("created_at").first().created_at
            Claim.objects.filter(pk=claim.pk).update(first_seen_at=first)
            Review.objects.filter(claim=claim).update(
                published_at=first + timedelta(hours=6 + 5 * (index % 4))
            )
        for number, (text, channel, regency, days) in enumerate(UNCHECKED):
            submitted = services.report_submit(
                actor=citizen,
                text=text,
                channel=channel,
                regency=regency,
                wants_verdict=True,
                ip=f"demo-{number}",
            )
            Report.objects.filter(pk=submitted.report.pk).update(
                created_at=now - timedelta(days=days)
            )
        text, channel, regency = SCREENSHOT_REPORT
        services.report_submit(
            actor=citizen,
            text=text,
            channel=channel,
            regency=regency,
            screenshot=io.BytesIO(_demo_screenshot()),
            wants_verdict=True,
            ip="demo-screenshot",
        )
    desks = seed_regency_desks()
    for (
        agency_slug,
        topic,
        title,
        title_en,
        summary,
        summary_en,
        body,
        body_en,
        sources,
    ) in ARTICLES:
        if Article.objects.filter(title=title).exists():
            continue
        agency = Agency.objects.get(slug=agency_slug)
        article = services.article_save(
            actor=reviewer,
            agency=agency,
            topic=_topic(topic),
            title=title,
            title_en=title_en,
            summary=summary,
            summary_en=summary_en,
            body=body,
            body_en=body_en,
            sources=_sources(sources),
            author_name=agency.short_name or agency.name,
        )
        if title.startswith("Cara mendapatkan"):
            services.article_save(
                actor=reviewer,
                article=article,
                agency=agency,
                topic=article.topic,
                title=title,
                title_en=title_en,
                summary=summary,
                summary_en=summary_en,
                body=body.replace("minimal enam bulan", "minimal tiga bulan"),
                body_en=body_en.replace("six months", "three months"),
                sources=_sources(sources),
                correction=True,
                note="Jarak dari dosis kedua diperbaiki: tiga bulan, bukan enam bulan.",
            )
    if stdout is not None:
        stdout.write(
            f"factcheck: {Claim.objects.count()} claims, {Article.objects.count()} articles\n"
        )
        for username, name, agency in desks:
            stdout.write(f"factcheck: regency desk login {username} ({name}, {agency})\n")
