package io.natsee.broker.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1UniversalString;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * TLS {@code verify_and_map}: which configured user a client certificate names, in nats-server
 * 2.9.10's order (verified against the binary):
 * <ol>
 * <li>the certificate's e-mail addresses, then its DNS names, then its URIs (subject alternative
 * names), each compared literally with the user names;</li>
 * <li>the subject as an LDAP distinguished name (RFC 4514): each user name that parses as a DN is
 * compared with the certificate's subject RDN by RDN (attribute types case-insensitively, values
 * exactly, spaces around separators ignored), first in order and then in any order. Only the
 * attribute types C, O, OU, CN, SERIALNUMBER, L, ST, STREET, POSTALCODE and DC are known; a
 * subject with any other type (UID, emailAddress, ...) skips this step;</li>
 * <li>Go's string form of the subject, with the DC components appended when there are any, then
 * without them. Go prints a fixed order whatever the certificate's order (SERIALNUMBER, CN, OU, O,
 * POSTALCODE, STREET, L, ST, C) and leaves out the attribute types it does not know, so
 * {@code /CN=zed/O=Test/UID=z} is {@code "CN=zed,O=Test"}.</li>
 * </ol>
 * A certificate with neither an e-mail address, a URI nor a subject names nobody.
 */
final class CertificateUserMapper {

    /** nats-server's internal/ldap attribute type names. */
    private static final Map<String, String> LDAP_TYPES = Map.of(
            "2.5.4.6", "C", "2.5.4.10", "O", "2.5.4.11", "OU", "2.5.4.3", "CN", "2.5.4.5", "SERIALNUMBER",
            "2.5.4.7", "L", "2.5.4.8", "ST", "2.5.4.9", "STREET", "2.5.4.17", "POSTALCODE",
            "0.9.2342.19200300.100.1.25", "DC");

    private static final String DC_OID = "0.9.2342.19200300.100.1.25";

    private CertificateUserMapper() {
    }

    /**
     * The user the certificate names among {@code candidates} (users allowed this connection
     * type, with a name); {@code null} when none.
     */
    static User map(X509Certificate certificate, List<User> candidates) {
        List<String> emails = new ArrayList<>();
        List<String> dnsNames = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    int type = (Integer) alternative.get(0);
                    String value = String.valueOf(alternative.get(1));
                    switch (type) {
                        case 1 -> emails.add(value);
                        case 2 -> dnsNames.add(value);
                        case 6 -> uris.add(value);
                        default -> {
                            // other kinds never name a user
                        }
                    }
                }
            }
        } catch (CertificateParsingException unreadable) {
            // no alternative names to offer; the subject remains
        }
        RDN[] rdns = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()).getRDNs();
        boolean hasSubject = false;
        for (RDN rdn : rdns) {
            hasSubject |= rdn.size() > 0;
        }
        if (emails.isEmpty() && uris.isEmpty() && !hasSubject) {
            return null;
        }
        List<String> literals = new ArrayList<>(emails);
        literals.addAll(dnsNames);
        literals.addAll(uris);
        for (String literal : literals) {
            User user = byName(candidates, literal);
            if (user != null) {
                return user;
            }
        }
        List<List<String[]>> subject = ldapSubject(rdns);
        if (subject != null) {
            List<List<List<String[]>>> parsed = new ArrayList<>();
            for (User user : candidates) {
                List<List<String[]>> dn = parseDn(user.name());
                parsed.add(dn);
                if (dn != null && sameInOrder(dn, subject)) {
                    return user;
                }
            }
            for (int i = 0; i < candidates.size(); i++) {
                List<List<String[]>> dn = parsed.get(i);
                if (dn != null && sameInAnyOrder(dn, subject)) {
                    return candidates.get(i);
                }
            }
        }
        String goForm = goSubject(rdns);
        List<String> dcs = new ArrayList<>();
        for (RDN rdn : rdns) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                String value = stringValue(atv.getValue());
                if (DC_OID.equals(atv.getType().getId()) && value != null) {
                    dcs.add("DC=" + value);
                }
            }
        }
        if (!dcs.isEmpty()) {
            User user = byName(candidates, goForm + "," + String.join(",", dcs));
            if (user != null) {
                return user;
            }
        }
        return byName(candidates, goForm);
    }

    private static User byName(List<User> candidates, String name) {
        for (User user : candidates) {
            if (name.equals(user.name())) {
                return user;
            }
        }
        return null;
    }

    /**
     * The subject as nats-server's ldap package reads the raw subject: RDNs last to first, each
     * attribute as {type, value}; {@code null} when a type is unknown or a value is not a string.
     */
    private static List<List<String[]>> ldapSubject(RDN[] rdns) {
        List<List<String[]>> dn = new ArrayList<>();
        for (int i = rdns.length - 1; i >= 0; i--) {
            if (rdns[i].size() == 0) {
                continue;
            }
            List<String[]> rdn = new ArrayList<>();
            for (AttributeTypeAndValue atv : rdns[i].getTypesAndValues()) {
                String type = LDAP_TYPES.get(atv.getType().getId());
                String value = stringValue(atv.getValue());
                if (type == null || value == null) {
                    return null;
                }
                rdn.add(new String[] {type, value});
            }
            dn.add(rdn);
        }
        return dn;
    }

    /**
     * A user name read as nats-server's ldap.ParseDN reads it (RFC 4514 with its leniencies:
     * unescaped leading and trailing spaces dropped, {@code \X} and {@code \hh} escapes, {@code +}
     * for multi-valued RDNs); {@code null} where it fails (no {@code =}, a {@code #} value, a bad
     * escape).
     */
    static List<List<String[]>> parseDn(String text) {
        List<List<String[]>> dn = new ArrayList<>();
        List<String[]> rdn = new ArrayList<>();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        String type = "";
        boolean escaping = false;
        int trailingSpaces = 0;
        for (int i = 0; i < bytes.length; i++) {
            byte c = bytes[i];
            if (escaping) {
                trailingSpaces = 0;
                escaping = false;
                if (" \"#+,;<=>\\".indexOf(c) >= 0) {
                    buffer.write(c);
                    continue;
                }
                if (i + 1 >= bytes.length) {
                    return null;
                }
                int high = Character.digit(c, 16);
                int low = Character.digit(bytes[i + 1], 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                buffer.write(high * 16 + low);
                i++;
            } else if (c == '\\') {
                trailingSpaces = 0;
                escaping = true;
            } else if (c == '=') {
                type = drain(buffer, trailingSpaces);
                trailingSpaces = 0;
                if (i + 1 < bytes.length && bytes[i + 1] == '#') {
                    return null;
                }
            } else if (c == ',' || c == '+') {
                if (type.isEmpty()) {
                    return null;
                }
                rdn.add(new String[] {type, drain(buffer, trailingSpaces)});
                trailingSpaces = 0;
                type = "";
                if (c == ',') {
                    dn.add(rdn);
                    rdn = new ArrayList<>();
                }
            } else if (c == ' ' && buffer.size() == 0) {
                continue;
            } else {
                trailingSpaces = c == ' ' ? trailingSpaces + 1 : 0;
                buffer.write(c);
            }
        }
        if (buffer.size() > 0) {
            if (type.isEmpty()) {
                return null;
            }
            rdn.add(new String[] {type, drain(buffer, trailingSpaces)});
            dn.add(rdn);
        }
        return dn;
    }

    private static String drain(ByteArrayOutputStream buffer, int trailingSpaces) {
        byte[] bytes = buffer.toByteArray();
        buffer.reset();
        return new String(bytes, 0, bytes.length - trailingSpaces, StandardCharsets.UTF_8);
    }

    private static boolean sameInOrder(List<List<String[]>> a, List<List<String[]>> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!sameRdn(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameInAnyOrder(List<List<String[]>> a, List<List<String[]>> b) {
        if (a.size() != b.size()) {
            return false;
        }
        outer:
        for (List<String[]> rdn : a) {
            for (List<String[]> other : b) {
                if (sameRdn(rdn, other)) {
                    continue outer;
                }
            }
            return false;
        }
        return true;
    }

    private static boolean sameRdn(List<String[]> a, List<String[]> b) {
        return a.size() == b.size() && containsAll(a, b) && containsAll(b, a);
    }

    private static boolean containsAll(List<String[]> rdn, List<String[]> attributes) {
        outer:
        for (String[] attribute : attributes) {
            for (String[] mine : rdn) {
                if (mine[0].equalsIgnoreCase(attribute[0]) && mine[1].equals(attribute[1])) {
                    continue outer;
                }
            }
            return false;
        }
        return true;
    }

    /** Go's {@code pkix.Name.ToRDNSequence().String()} for the parsed subject. */
    static String goSubject(RDN[] rdns) {
        List<String> country = new ArrayList<>();
        List<String> province = new ArrayList<>();
        List<String> locality = new ArrayList<>();
        List<String> street = new ArrayList<>();
        List<String> postalCode = new ArrayList<>();
        List<String> organization = new ArrayList<>();
        List<String> unit = new ArrayList<>();
        String commonName = "";
        String serialNumber = "";
        for (RDN rdn : rdns) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                String value = stringValue(atv.getValue());
                if (value == null) {
                    continue;
                }
                switch (atv.getType().getId()) {
                    case "2.5.4.3" -> commonName = value;
                    case "2.5.4.5" -> serialNumber = value;
                    case "2.5.4.6" -> country.add(value);
                    case "2.5.4.7" -> locality.add(value);
                    case "2.5.4.8" -> province.add(value);
                    case "2.5.4.9" -> street.add(value);
                    case "2.5.4.10" -> organization.add(value);
                    case "2.5.4.11" -> unit.add(value);
                    case "2.5.4.17" -> postalCode.add(value);
                    default -> {
                        // Go keeps other types in Names only; ToRDNSequence leaves them out
                    }
                }
            }
        }
        // ToRDNSequence's order; String() prints the sequence backwards.
        List<String> sequence = new ArrayList<>();
        sequence.add(goRdn("C", country));
        sequence.add(goRdn("ST", province));
        sequence.add(goRdn("L", locality));
        sequence.add(goRdn("STREET", street));
        sequence.add(goRdn("POSTALCODE", postalCode));
        sequence.add(goRdn("O", organization));
        sequence.add(goRdn("OU", unit));
        sequence.add(commonName.isEmpty() ? null : goRdn("CN", List.of(commonName)));
        sequence.add(serialNumber.isEmpty() ? null : goRdn("SERIALNUMBER", List.of(serialNumber)));
        StringBuilder text = new StringBuilder();
        for (int i = sequence.size() - 1; i >= 0; i--) {
            String rdn = sequence.get(i);
            if (rdn == null) {
                continue;
            }
            if (!text.isEmpty()) {
                text.append(',');
            }
            text.append(rdn);
        }
        return text.toString();
    }

    private static String goRdn(String type, List<String> values) {
        if (values.isEmpty()) {
            return null;
        }
        StringBuilder rdn = new StringBuilder();
        for (String value : values) {
            if (!rdn.isEmpty()) {
                rdn.append('+');
            }
            rdn.append(type).append('=').append(goEscape(value));
        }
        return rdn.toString();
    }

    /** Go's RDNSequence.String() escaping (byte positions, as Go's range index is). */
    private static String goEscape(String value) {
        int lastByte = value.getBytes(StandardCharsets.UTF_8).length - 1;
        StringBuilder escaped = new StringBuilder();
        int bytePosition = 0;
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            boolean escape = switch (c) {
                case ',', '+', '"', '\\', '<', '>', ';' -> true;
                case ' ' -> bytePosition == 0 || bytePosition == lastByte;
                case '#' -> bytePosition == 0;
                default -> false;
            };
            if (escape) {
                escaped.append('\\');
            }
            escaped.appendCodePoint(c);
            bytePosition += new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8).length;
            i += Character.charCount(c);
        }
        return escaped.toString();
    }

    /** A directory string's text, as Go's asn1 reads it into a string; {@code null} for other types. */
    private static String stringValue(ASN1Encodable value) {
        if (value instanceof ASN1String text && !(value instanceof ASN1BitString)
                && !(value instanceof ASN1UniversalString)) {
            return text.getString();
        }
        return null;
    }
}
