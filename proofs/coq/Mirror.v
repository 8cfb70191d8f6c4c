(** * Item 5: mirror GRPO (Thm 4–5) and mean-only normalisation (§5)

    Paper ids: [thm5.1], [thm5.2a], [thm5.2b], [thm5.2c], [thm5-proof], [table1-row3-no-interior],
    [table1-row3-limit], [table1-row3-global], [table1-row3-absorbing], [takeaway-mirror-monotone],
    [sec5-ref], [sec5-mirror], [table1-row2-fixed], [table1-row2-stable], [table1-row4-*],
    [table1-row6-contraction], [takeaway-coverage].

    Reading.  The mirror map in PoS form is the Gibbs PoS of Thm 8 with anchor π_{n-1}:
    m(p) = p e^{Ω(p)/β} / (p e^{Ω(p)/β} + 1 − p) = [tilt p (Ω(p)/β)], defined on all of [0,1]
    (m(0) = 0, m(1) = 1); on (0,1) it is σ(logit p + Ω(p)/β), eq. (12).  Ω is any weight sum
    bounded below by a positive constant c: Ω_ε ≥ (1/4+ε)^{-1/2}, mean-only Ω = 1. *)

From Coq Require Import Reals Lra.
From Coquelicot Require Import Coquelicot.
From GRPO Require Import Defs.
Open Scope R_scope.

Definition mirror (W : R -> R) (beta p : R) : R := tilt p (W p / beta).

Fixpoint orbit_m (W : R -> R) (beta p0 : R) (n : nat) : R :=
  match n with O => p0 | S k => mirror W beta (orbit_m W beta p0 k) end.

Section MirrorDynamics.
Variable W : R -> R.
Variables beta c : R.
Hypothesis Hbeta : 0 < beta.
Hypothesis Hc : 0 < c.
Hypothesis HW : forall p, 0 <= p <= 1 -> c <= W p.     (** Ω ≥ c > 0 on [0,1] *)

(** eq. (11)–(12): logit m(p) = logit p + Ω(p)/β on (0,1). *)
Lemma mirror_logit (p : R) : 0 < p < 1 -> logit (mirror W beta p) = logit p + W p / beta.
Proof. intros Hp. apply logit_tilt, Hp. Qed.

Lemma mirror_in_01 (p : R) : 0 < p < 1 -> 0 < mirror W beta p < 1.
Proof. intros Hp. apply tilt_bounds, Hp. Qed.

Lemma step_pos (p : R) : 0 <= p <= 1 -> c / beta <= W p / beta.
Proof. intros Hp. unfold Rdiv. apply Rmult_le_compat_r; [left; apply Rinv_0_lt_compat, Hbeta|apply HW, Hp]. Qed.

(** [thm5.1]: p_n > p_{n-1} for every p_{n-1} ∈ (0,1) ... *)
Theorem thm51_strict_increase (p : R) : 0 < p < 1 -> p < mirror W beta p.
Proof.
  intros Hp. apply logit_inj_lt; [exact Hp|apply mirror_in_01, Hp|].
  rewrite mirror_logit by exact Hp. pose proof (step_pos p ltac:(lra)).
  assert (0 < c / beta) by (apply Rdiv_lt_0_compat; assumption). lra.
Qed.

(** ... hence no fixed point in (0,1) ([table1-row3-no-interior]); 0 and 1 are fixed. *)
Theorem thm51_no_interior_fixed_point (p : R) : 0 < p < 1 -> mirror W beta p <> p.
Proof. intros Hp Hfix. pose proof (thm51_strict_increase p Hp). lra. Qed.

Theorem thm5_proof_ends : mirror W beta 0 = 0 /\ mirror W beta 1 = 1.
Proof. split; [apply tilt_zero|apply tilt_one]. Qed.

(** [thm5.2c] / [table1-row3-absorbing] / [takeaway-coverage]: p_ref = 0 gives p_n = 0 for all n. *)
Theorem thm52c_absorbing (n : nat) : orbit_m W beta 0 n = 0.
Proof. induction n; simpl; [reflexivity|]. rewrite IHn. apply tilt_zero. Qed.

Section FromInterior.
Variable p0 : R.
Hypothesis Hp0 : 0 < p0 < 1.

Lemma orbit_m_in_01 (n : nat) : 0 < orbit_m W beta p0 n < 1.
Proof. induction n; simpl; [exact Hp0|]. apply mirror_in_01, IHn. Qed.

(** [thm5.2a] (first half): (p_n) is strictly increasing and bounded by 1. *)
Theorem thm52a_increasing (n : nat) :
  orbit_m W beta p0 n < orbit_m W beta p0 (S n) /\ orbit_m W beta p0 (S n) < 1.
Proof.
  split; [simpl; apply thm51_strict_increase, orbit_m_in_01|apply orbit_m_in_01].
Qed.

(** The log-odds grow at least linearly: L_n ≥ L_0 + n c/β. *)
Lemma logit_linear_growth (n : nat) :
  logit p0 + INR n * (c / beta) <= logit (orbit_m W beta p0 n).
Proof.
  induction n as [|n IH]; [simpl; lra|].
  rewrite S_INR. simpl orbit_m. rewrite mirror_logit by apply orbit_m_in_01.
  pose proof (step_pos (orbit_m W beta p0 n) ltac:(pose proof (orbit_m_in_01 n); lra)).
  lra.
Qed.

Theorem logit_to_infinity : is_lim_seq (fun n => logit (orbit_m W beta p0 n)) p_infty.
Proof.
  apply is_lim_seq_spec. intros M.
  assert (Hcb : 0 < c / beta) by (apply Rdiv_lt_0_compat; assumption).
  pose proof (is_lim_seq_INR) as HI. apply is_lim_seq_spec in HI.
  destruct (HI ((M - logit p0) / (c / beta))) as [N HN].
  exists N. intros n Hn. specialize (HN n Hn).
  pose proof (logit_linear_growth n).
  assert (M - logit p0 < INR n * (c / beta)).
  { apply Rmult_lt_compat_r with (r := c / beta) in HN; [|exact Hcb].
    unfold Rdiv in HN at 1. rewrite Rmult_assoc, Rinv_l, Rmult_1_r in HN by lra. exact HN. }
  lra.
Qed.

(** [thm5.2a] / [thm5.2b] / [table1-row3-limit] / [table1-row3-global]: p_n → 1 from every
    p_0 = p_ref ∈ (0,1), whatever β > 0. *)
Theorem thm52_limit_one : is_lim_seq (orbit_m W beta p0) 1.
Proof.
  pose proof logit_to_infinity as HL. apply is_lim_seq_spec in HL.
  apply is_lim_seq_spec. intros e.
  set (d := Rmin (pos e) (1 / 2)).
  assert (Hd : 0 < d < 1) by (unfold d; destruct e as [e He]; simpl; unfold Rmin; destruct Rle_dec; lra).
  destruct (HL (logit (1 - d))) as [N HN]. exists N. intros n Hn. specialize (HN n Hn).
  pose proof (orbit_m_in_01 n) as Hin.
  assert (1 - d < orbit_m W beta p0 n).
  { apply logit_inj_lt; [lra|exact Hin|exact HN]. }
  assert (d <= pos e) by (unfold d; apply Rmin_l).
  rewrite Rabs_left by lra. lra.
Qed.
End FromInterior.
End MirrorDynamics.

(** Ω_ε is bounded below by (1/4 + ε)^{-1/2} > 0 on [0,1]: the hypothesis above holds for the
    mean+variance weights; mean-only (Ω = 1) is the case c = 1. *)
Lemma Omega_lower_bound (eps p : R) : 0 < eps -> 0 <= p <= 1 -> Omega eps (1 / 2) <= Omega eps p.
Proof.
  intros He Hp. unfold Omega. unfold Rdiv. rewrite !Rmult_1_l.
  apply Rinv_le_contravar; [apply sqrt_lt_R0; nra|]. apply sqrt_le_1_alt.
  pose proof (Rle_0_sqr (2 * p - 1)). unfold Rsqr in *. lra.
Qed.

Corollary mirror_std_limit_one (beta eps p0 : R) : 0 < beta -> 0 < eps -> 0 < p0 < 1 ->
  is_lim_seq (orbit_m (Omega eps) beta p0) 1.
Proof.
  intros Hb He Hp. apply thm52_limit_one with (c := Omega eps (1 / 2)); try assumption.
  - apply Omega_pos. lra.
  - intros p Hp'. apply Omega_lower_bound; assumption.
Qed.

Corollary mirror_mean_limit_one (beta p0 : R) : 0 < beta -> 0 < p0 < 1 ->
  is_lim_seq (orbit_m (fun _ => 1) beta p0) 1.
Proof. intros Hb Hp. apply thm52_limit_one with (c := 1); try assumption; intros; lra. Qed.

(** ------------------------------------------------------------------ *)
(** ** Mean-only normalisation (§5): Ω = 1, the log-odds map g(L) = α L_ref + (1−α) L + 1/β *)

Definition gmean (alpha beta Lref L : R) : R := alpha * Lref + (1 - alpha) * L + 1 / beta.

Fixpoint orbit_mean (alpha beta Lref L0 : R) (n : nat) : R :=
  match n with O => L0 | S k => gmean alpha beta Lref (orbit_mean alpha beta Lref L0 k) end.

(** [sec5-ref] / [table1-row2-fixed] / [table1-row2-stable]: with α = 1 the map is constant, the
    fixed point σ(logit p_ref + 1/β) is reached in one step and stays. *)
Theorem sec5_ref_one_step (beta Lref L0 : R) (n : nat) :
  orbit_mean 1 beta Lref L0 (S n) = Lref + 1 / beta.
Proof. simpl. unfold gmean. ring. Qed.

(** [sec5-mirror] / [table1-row4-recurrence]: with α = 0, L_n = L_ref + n/β. *)
Theorem sec5_mirror_closed_form (beta Lref : R) (n : nat) :
  orbit_mean 0 beta Lref Lref n = Lref + INR n / beta.
Proof.
  induction n as [|n IH]; [simpl; unfold Rdiv; ring|].
  rewrite S_INR. simpl orbit_mean. rewrite IH. unfold gmean. unfold Rdiv. ring.
Qed.

(** Two KL, mean-only ([table1-row6-fixed], [table1-row6-contraction]): the fixed point
    L⋆ = L_ref + 1/(αβ) and the closed form L_n − L⋆ = (1−α)^n (L_0 − L⋆). *)
Definition Lstar_mean (alpha beta Lref : R) : R := Lref + 1 / (alpha * beta).

Theorem two_kl_mean_fixed_point (alpha beta Lref : R) : 0 < alpha -> 0 < beta ->
  gmean alpha beta Lref (Lstar_mean alpha beta Lref) = Lstar_mean alpha beta Lref.
Proof. intros Ha Hb. unfold gmean, Lstar_mean. field. lra. Qed.

Theorem two_kl_mean_closed_form (alpha beta Lref L0 : R) (n : nat) : 0 < alpha -> 0 < beta ->
  orbit_mean alpha beta Lref L0 n - Lstar_mean alpha beta Lref
  = (1 - alpha) ^ n * (L0 - Lstar_mean alpha beta Lref).
Proof.
  intros Ha Hb. induction n as [|n IH]; simpl; [ring|].
  rewrite Rmult_assoc, <- IH. unfold gmean, Lstar_mean. field. lra.
Qed.

(** Geometric convergence at rate 1 − α, for 0 < α ≤ 1 (any start L_0). *)
Theorem two_kl_mean_converges (alpha beta Lref L0 : R) : 0 < alpha <= 1 -> 0 < beta ->
  is_lim_seq (orbit_mean alpha beta Lref L0) (Lstar_mean alpha beta Lref).
Proof.
  intros Ha Hb.
  apply is_lim_seq_ext with (u := fun n => Lstar_mean alpha beta Lref
                                         + (L0 - Lstar_mean alpha beta Lref) * (1 - alpha) ^ n).
  { intros n. rewrite Rmult_comm, <- two_kl_mean_closed_form by lra. ring. }
  set (Ls := Lstar_mean alpha beta Lref).
  assert (H0 : is_lim_seq (fun n => (L0 - Ls) * (1 - alpha) ^ n) 0).
  { replace (Finite 0) with (Rbar_mult (L0 - Ls) 0) by (simpl; f_equal; ring).
    apply is_lim_seq_scal_l, is_lim_seq_geom. rewrite Rabs_pos_eq; lra. }
  replace (Finite Ls) with (Rbar_plus Ls 0) by (simpl; f_equal; ring).
  apply is_lim_seq_plus'; [apply is_lim_seq_const|exact H0].
Qed.
