package io.udpix.engine.stream;

/**
 * What the sender does about a lost fragment or parity packet, and how often a repair goes (docs/PROTOCOL.md
 * section 5.8.4): a fragment its column's parity rebuilds at the receiver is held, not resent, unless the parity is
 * declared lost; a repair goes only while it can arrive in time (PR-SCTP, RFC 3758), else the frame is abandoned;
 * a repair that is its frame's last chance goes several times. Sans-I/O: time and RTT come in as arguments.
 */
final class RepairPolicy {
    /**
     * A repair is its frame's last chance when a loss of it could not be followed by another repair in time:
     * {@code now + this x rtt >= deadline}. Loss detection takes about 9/8 RTT after sending (RFC 9002 section
     * 6.1.2, plus the ACK's delay), the next repair half an RTT to arrive: 1.25 + 0.5. The same margin decides
     * whether a fragment may be held for its column's parity: only while a second loss in the column, detected
     * after the frame's last new fragment went, could still be repaired.
     */
    static final double LAST_CHANCE_RTTS = 1.75;
    /** A last-chance repair goes as many times as it takes for all copies to be lost with at most this probability. */
    static final double LAST_CHANCE_FAILURE = 0.001;
    /** ... but at least twice and at most this many times. */
    static final int MAX_LAST_CHANCE_COPIES = 3;

    private RepairPolicy() {
    }

    /**
     * A packet with fragment {@code index} of {@code f} (not acknowledged) was declared lost. A loss of one copy of a
     * last-chance repair while another is in flight changes nothing. The fragment is held when its column's parity
     * went out and is not known lost (and holding is safe, or no repair could arrive anyway); otherwise it goes again
     * if it can still arrive in time ({@code nowNs + srtt/2 < deadline}), else the frame is abandoned unless parity
     * may still rebuild it.
     */
    static void onFragmentLost(OutgoingStream s, OutgoingFrame f, int index, long nowNs, long srttNs) {
        if (f.absorbLoss(index)) {
            return; // another copy of a last-chance repair is still on its way
        }
        f.markLost(index);
        boolean inTime = nowNs + srttNs / 2 < f.deadlineNs;
        // Holding is safe while the column's other fragments, were one of them lost too, could still be repaired in
        // time (the parity then rebuilds this one): the frame's data went out early enough for a repair round.
        boolean holdSafe = srttNs <= 0 || f.lastNewSentNs + (long) (LAST_CHANCE_RTTS * srttNs) < f.deadlineNs;
        if ((holdSafe || !inTime) && f.holdForParity(index)) {
            // The receiver rebuilds the fragment from its column's parity, so a repair would be waste; it goes only
            // if the parity is declared lost (onParityLost). When too late for a repair: no ABANDON either, which
            // would make the receiver drop the frame at once.
            return;
        }
        if (inTime) {
            f.queueRetransmit(index);
        } else if (!f.parityMayRecover(index)) {
            s.abandon(f);
        }
        // Else the repair is too late but the column's parity may rebuild the fragment once the column's other
        // repairs arrive: no ABANDON. Its state goes at deadline + srtt.
    }

    /**
     * A packet with parity group {@code group} of {@code f} was declared lost (parity is never sent again). A fragment
     * the group held back for it goes again if it can still arrive in time; otherwise the frame is abandoned.
     */
    static void onParityLost(OutgoingStream s, OutgoingFrame f, int group, long nowNs, long srttNs) {
        int heldIndex = f.onParityLost(group);
        if (heldIndex < 0) {
            return;
        }
        if (nowNs + srttNs / 2 < f.deadlineNs) {
            f.queueRetransmit(heldIndex);
        } else if (!f.parityMayRecover(heldIndex)) {
            s.abandon(f);
        }
    }

    /**
     * A repair of fragment {@code index} of {@code f} went out at {@code nowNs}. When it is the frame's last chance
     * (were it lost, the loss would be known too late for another repair), more copies follow
     * ({@link #lastChanceCopies}) so that a lost packet no longer costs the frame.
     */
    static void onRepairSent(OutgoingFrame f, int index, long nowNs, long rttNs, double lossRate) {
        if (!f.onRepairSent(index) && rttNs > 0 && nowNs + (long) (LAST_CHANCE_RTTS * rttNs) >= f.deadlineNs) {
            f.planCopies(index, lastChanceCopies(lossRate));
        }
    }

    /**
     * How many times a last-chance repair goes at packet loss rate {@code lossRate}: the fewest n >= 2 with
     * lossRate^n <= {@link #LAST_CHANCE_FAILURE}, at most {@link #MAX_LAST_CHANCE_COPIES} (at 1% loss 2, at 5% 3).
     */
    static int lastChanceCopies(double lossRate) {
        int n = 2;
        double allLost = lossRate * lossRate;
        while (n < MAX_LAST_CHANCE_COPIES && allLost > LAST_CHANCE_FAILURE) {
            allLost *= lossRate;
            n++;
        }
        return n;
    }
}
