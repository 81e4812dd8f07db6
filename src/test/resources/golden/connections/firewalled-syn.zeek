#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	duration	orig_bytes	resp_bytes	conn_state	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents	outcome	orig_state	resp_state	syn_retries	handshake_rtt_ms	retransmits	time_wait_at_end	reused_time_wait	midstream	continues	continued_in
#types	time	string	addr	port	addr	port	enum	interval	count	count	string	count	string	count	count	count	count	set[string]	string	string	string	count	double	count	bool	bool	bool	string	string
1795433856.902663000	C1	10.200.0.1	40000	10.200.0.2	8082	tcp	3.037923000	0	0	S0	0	S	3	180	0	0	-	continued	syn-sent	closed	2	-	0	F	F	F	-	C4
1795433864.100608000	C4	10.200.0.1	40000	10.200.0.2	8082	tcp	-	-	-	S0	0	S	1	60	0	0	-	unanswered	syn-sent	closed	3	-	0	F	F	F	C1	-
