// Nationalities the registry accepts (src/country.rs), shown by country name in
// the page's language (Intl.DisplayNames) and sent as the ICAO code. The
// ISO 3166-1 pairs (alpha-3 then alpha-2) come from Debian's iso-codes; a
// test checks they are exactly the codes src/country.rs accepts.
const ISO_PAIRS =
  "ABWAW AFGAF AGOAO AIAAI ALAAX ALBAL ANDAD AREAE ARGAR ARMAM ASMAS ATAAQ ATFTF ATGAG AUSAU AUTAT " +
  "AZEAZ BDIBI BELBE BENBJ BESBQ BFABF BGDBD BGRBG BHRBH BHSBS BIHBA BLMBL BLRBY BLZBZ BMUBM BOLBO " +
  "BRABR BRBBB BRNBN BTNBT BVTBV BWABW CAFCF CANCA CCKCC CHECH CHLCL CHNCN CIVCI CMRCM CODCD COGCG " +
  "COKCK COLCO COMKM CPVCV CRICR CUBCU CUWCW CXRCX CYMKY CYPCY CZECZ DEUDE DJIDJ DMADM DNKDK DOMDO " +
  "DZADZ ECUEC EGYEG ERIER ESHEH ESPES ESTEE ETHET FINFI FJIFJ FLKFK FRAFR FROFO FSMFM GABGA GBRGB " +
  "GEOGE GGYGG GHAGH GIBGI GINGN GLPGP GMBGM GNBGW GNQGQ GRCGR GRDGD GRLGL GTMGT GUFGF GUMGU GUYGY " +
  "HKGHK HMDHM HNDHN HRVHR HTIHT HUNHU IDNID IMNIM INDIN IOTIO IRLIE IRNIR IRQIQ ISLIS ISRIL ITAIT " +
  "JAMJM JEYJE JORJO JPNJP KAZKZ KENKE KGZKG KHMKH KIRKI KNAKN KORKR KWTKW LAOLA LBNLB LBRLR LBYLY " +
  "LCALC LIELI LKALK LSOLS LTULT LUXLU LVALV MACMO MAFMF MARMA MCOMC MDAMD MDGMG MDVMV MEXMX MHLMH " +
  "MKDMK MLIML MLTMT MMRMM MNEME MNGMN MNPMP MOZMZ MRTMR MSRMS MTQMQ MUSMU MWIMW MYSMY MYTYT NAMNA " +
  "NCLNC NERNE NFKNF NGANG NICNI NIUNU NLDNL NORNO NPLNP NRUNR NZLNZ OMNOM PAKPK PANPA PCNPN PERPE " +
  "PHLPH PLWPW PNGPG POLPL PRIPR PRKKP PRTPT PRYPY PSEPS PYFPF QATQA REURE ROURO RUSRU RWARW SAUSA " +
  "SDNSD SENSN SGPSG SGSGS SHNSH SJMSJ SLBSB SLESL SLVSV SMRSM SOMSO SPMPM SRBRS SSDSS STPST SURSR " +
  "SVKSK SVNSI SWESE SWZSZ SXMSX SYCSC SYRSY TCATC TCDTD TGOTG THATH TJKTJ TKLTK TKMTM TLSTL TONTO " +
  "TTOTT TUNTN TURTR TUVTV TWNTW TZATZ UGAUG UKRUA UMIUM URYUY USAUS UZBUZ VATVA VCTVC VENVE VGBVG " +
  "VIRVI VNMVN VUTVU WLFWF WSMWS YEMYE ZAFZA ZMBZM ZWEZW";

/** ICAO Doc 9303 codes beyond ISO 3166-1: a region Intl knows, or a catalogue key. */
const ICAO_SPECIAL = {
  RKS: { region: "XK" },
  EUE: { region: "EU" },
  GBD: { region: "GB" }, GBN: { region: "GB" }, GBO: { region: "GB" }, GBP: { region: "GB" }, GBS: { region: "GB" },
  UNA: { region: "UN" }, UNK: { region: "UN" }, UNO: { region: "UN" },
  XXA: { key: "country.XXA" }, XXB: { key: "country.XXB" }, XXC: { key: "country.XXC" }, XXX: { key: "country.XXX" },
};

/** Every accepted code with its region (alpha-2) or catalogue key. */
export const NATIONALITIES = [
  ...ISO_PAIRS.split(" ").map((pair) => [pair.slice(0, 3), { region: pair.slice(3) }]),
  ...Object.entries(ICAO_SPECIAL),
];

/**
 * `<option>`s for a nationality `<select>`: "" first (not given), then every
 * code by its name in `language`, sorted as that language sorts. The code
 * follows the name, as documents print it: "Sverige (SWE)".
 */
export function nationalityOptions(language, t) {
  let names;
  try { names = new Intl.DisplayNames([language], { type: "region", fallback: "code" }); } catch { names = null; }
  const named = NATIONALITIES.map(([code, { region, key }]) => {
    const name = key ? t(key) : (names?.of(region) ?? region);
    return { code, label: `${name} (${code})` };
  });
  const collator = new Intl.Collator(language);
  named.sort((a, b) => collator.compare(a.label, b.label));
  return [new Option(t("person.nationality_none"), ""), ...named.map(({ code, label }) => new Option(label, code))];
}
