package org.clinical.benchmarks;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * Patient search by name ({@code GET /api/v1/{tenant}/patients?name=...&limit=20}), open workload:
 * {@code bench.rate} (default 100) searches per second for {@code bench.durationSeconds}, each with a random term
 * of {@link #TERMS}: prefixes, whole words, words typed without their accents, and misspellings (fuzzy), of
 * the names that benchmarks/seed/patients.sql draws from. A page of 20, as a search box shows. Run on the
 * 100,000 seeded patients. Target: p99 <= 20 ms.
 */
public class PatientSearchSimulation extends Simulation {

    static final List<String> TERMS = List.of(
            // prefixes
            "lind", "aber", "mart", "bern", "dub", "lef", "mor", "mull", "schä", "garc", "nun", "fern", "oster",
            "sor", "nguy", "kowal", "now", "smi", "john", "bro", "wil", "tay", "ros", "bian", "esp", "ozt", "yil",
            "papa", "nov", "horv", "jens", "hans", "virt", "korh", "anders", "johans", "karls", "nils", "erik",
            "lars", "ols", "pers", "svens", "gust", "pett", "jons", "lund", "soder", "mak", "dup", "laur", "sim",
            "mich", "ler", "roux", "four", "gir", "bonn", "fran", "merc", "blan", "guer", "boy", "chev", "rodr",
            "lop", "mart", "sanc", "per", "gom", "dia", "alv", "rom", "nav", "igl", "schm", "schn", "fis", "web",
            "mey", "wag", "beck", "hof", "koh", "mur", "kel", "byr", "rya", "wal", "dijk", "vri", "jan", "bak",
            "had", "kha", "man", "tan", "suz", "kim", "par", "che", "wan",
            "ann", "emm", "chl", "zo", "in", "mar", "sof", "eli", "ebb", "sag", "maj", "linn", "ing", "kar", "sio",
            "aoi", "noe", "hel", "agn", "jur", "bjo", "hug", "lou", "jul", "art", "leo", "gab", "rap", "jos", "jes",
            "and", "ram", "moh", "ahm", "yus", "ome", "cag", "mik", "jea", "pie", "cla", "tho", "luk", "jon", "fel",
            "pau", "pet", "jam", "dav", "sar", "lau", "ele", "han", "len", "mia", "noa", "lia", "oli", "ain", "ken",
            "yuk", "min", "wei", "mei", "ami", "oma", "nou", "ali",
            // whole words, with or without their accents
            "lindqvist", "Åberg", "aberg", "lefèvre", "lefevre", "müller", "muller", "garcía", "garcia", "núñez",
            "nunez", "østergaard", "sørensen", "öztürk", "ozturk", "yılmaz", "jönsson", "söderberg", "mäkinen",
            "françois", "guérin", "rodríguez", "álvarez", "köhler", "chloé", "chloe", "léa", "zoë", "inès", "ines",
            "linnéa", "siobhán", "noémie", "hélène", "françoise", "jürgen", "björn", "sören", "josé", "jesús",
            "ömer", "çağlar", "raphaël", "Åsa", "asa", "van dijk", "de vries", "min-jun", "ji-woo",
            // misspellings (fuzzy)
            "lindkvist", "bernad", "duboiss", "lefebre", "muler", "shmidt", "schnieder", "fisher", "wagener",
            "hofman", "garsia", "fernandes", "nguen", "kowalsky", "jonson", "smyth", "wilsen", "rossy", "esposíto",
            "jensn", "andersen", "johanson", "carlsson", "nillson", "ericsson", "larson", "olson", "pearson",
            "svenson", "gustavsson", "peterson", "lundstrom", "soderbergh", "makinnen", "dupond", "lorent",
            "mercer", "chevallier", "rodriges", "lopes", "martines", "sanches", "gomes", "alvares", "navaro",
            "murfy", "kelley", "walch", "bakker", "hadad", "kalil", "mansur", "tanaca", "suzuky", "chloey",
            "mohammad", "muhammed", "yusef", "siobhan", "sofie", "jurgen", "bjorn", "klara", "tomas");

    private final BenchConfig config = new BenchConfig();
    private final double rate = config.rate(100);

    private final Iterator<Map<String, Object>> terms = new Iterator<>() {
        @Override
        public boolean hasNext() {
            return true;
        }

        @Override
        public Map<String, Object> next() {
            return Map.of("term", TERMS.get(ThreadLocalRandom.current().nextInt(TERMS.size())));
        }
    };

    private final ScenarioBuilder scenario = scenario("Patient search " + rate + "/s" + config.label)
            .feed(terms)
            .exec(http("GET patients?name=")
                    .get("/api/v1/" + config.tenant + "/patients")
                    .queryParam("name", "#{term}")
                    .queryParam("limit", "20")
                    .check(status().is(200)));

    {
        setUp(scenario.injectOpen(constantUsersPerSec(rate).during(config.duration)))
                .protocols(config.openProtocol("clinician"))
                .maxDuration(config.openMaxDuration());
    }
}
